import ArgumentParser

struct DemoCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "demo",
        abstract: "Record a realistic week for the demo team (once) and print and archive its report.")

    @OptionGroup var global: GlobalOptions

    @Option(help: "Team to fill with the demo week.")
    var team = "platform"

    func run() async throws {
        let result = try await global.context().reports.demo(team: team)
        Console.raw(result.report)
        Console.out("report written to \(result.file)")
    }
}
