import ArgumentParser
import NarrateKit

extension Period.Kind: ExpressibleByArgument {}

struct PreviewCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "preview", abstract: "Print the report that would be sent for the current period; sends nothing.")

    @OptionGroup var global: GlobalOptions

    @Option(help: "Team id (default: every team).")
    var team: String?

    @Option(help: "Period: day | week | month | quarter (default: the team's schedule, else week).")
    var period: Period.Kind?

    @Option(help: "Any time inside the period to show (default now).")
    var at: String?

    func run() async throws {
        let reports = try await global.workspace().preview(team: team, period: period, at: at)
        print(reports.joined(separator: "\n\n---\n\n"))
    }
}
