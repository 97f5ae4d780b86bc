import ArgumentParser
import NarrateApp
import NarrateModel
import NarrateTargets
import NarrateConfig
import NarrateReport

extension Period.Kind: ExpressibleByArgument {}

struct PreviewCommand: AsyncParsableCommand {
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

    @Option(parsing: .unconditional, help: "Any time inside the period to show (default now).")
    var at: String?

    @Option(help: "Show the parts this target would receive, in its dialect.")
    var target: String?

    @Flag(help: "Print the manager digest (per-person mood and load) instead of the team report.")
    var digest = false

    @Flag(help: "Print JSON: team, period and Markdown per report.")
    var json = false

    func run() async throws {
        let previews: [Reports.Preview]
        if let daemon = try global.daemon() {
            let zone = daemon.config.zone(forTeam: team, schedule: schedule)
            previews = try await daemon.get("/v1/preview", query: [
                ("team", team), ("schedule", schedule), ("period", period?.rawValue), ("locale", locale),
                ("at", DaemonClient.iso(try global.time(at, in: zone), zone: zone)), ("digest", digest ? "true" : nil), ("target", target),
            ])
        } else {
            let context = try await global.context()
            let time = try global.time(at, in: context.config.zone(forTeam: team, schedule: schedule))
            previews = try await context.reports.preview(
                team: team, schedule: schedule, period: period, locale: locale, at: time, digest: digest, target: target,
                by: global.requester(context))
        }
        if json {
            try Console.json(previews)
        } else {
            let texts = previews.map { $0.parts?.joined(separator: "\n\n-----\n\n") ?? $0.markdown }
            let text = texts.joined(separator: "\n---\n\n")
            Console.raw(text.hasSuffix("\n") ? text : text + "\n")
        }
    }
}
