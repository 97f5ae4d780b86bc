import ArgumentParser
import NarrateKit

struct DemoCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "demo",
        abstract: "Record a realistic week for the demo team (once) and print and archive its report.")

    @OptionGroup var global: GlobalOptions

    @Option(help: "Team to fill with the demo week.")
    var team = "platform"

    func run() throws {
        let result = try global.workspace().demo(team: team)
        print(result.report)
        print("report written to \(result.file)")
    }
}
