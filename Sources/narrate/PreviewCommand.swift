import ArgumentParser
import NarrateKit

extension Period.Kind: ExpressibleByArgument {}

struct PreviewCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "preview", abstract: "Print the report that would be sent for the current period; sends nothing.")

    @OptionGroup var global: GlobalOptions

    @Option(help: "Team id (default: every team).")
    var team: String?

    @Option(help: "Schedule id: its team and period.")
    var schedule: String?

    @Option(help: "since-last | day | week | month | quarter (default: the team's schedule, else week).")
    var period: Period.Kind?

    @Option(help: "en | zh-Hant (default: the team's, else the config's).")
    var locale: String?

    @Option(help: "Any time inside the period to show (default now).")
    var at: String?

    @Flag(help: "Print the manager digest (per-person mood and load) instead of the team report.")
    var digest = false

    @Flag(help: "Print JSON: team, period and Markdown per report.")
    var json = false

    func run() throws {
        let previews = try global.workspace().preview(
            team: team, schedule: schedule, period: period, locale: locale, at: at, digest: digest)
        if json {
            try printJSON(previews)
        } else {
            print(previews.map(\.markdown).joined(separator: "\n---\n\n"), terminator: "")
        }
    }
}
