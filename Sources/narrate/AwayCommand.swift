import ArgumentParser
import NarrateKit

struct AwayCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "away", abstract: "Record days a person is away (not counted as missing).")

    @OptionGroup var global: GlobalOptions

    @Argument(help: "Person id.")
    var person: String

    @Option(help: "First day away, YYYY-MM-DD.")
    var from: String

    @Option(help: "Last day away, YYYY-MM-DD.")
    var to: String

    func run() throws {
        let absence = try global.workspace().away(person, from: from, to: to)
        print("\(absence.person) away \(absence.from) to \(absence.to)")
    }
}
