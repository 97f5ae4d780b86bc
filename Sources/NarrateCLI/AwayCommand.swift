import ArgumentParser
import NarrateCore

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
        let context = try global.context()
        let person = try context.config.requirePerson(person)
        let absence = try context.checkIns.away(person, from: try LocalDate(parsing: from), to: try LocalDate(parsing: to))
        Console.out("\(absence.person) away \(absence.from) to \(absence.to)")
    }
}
