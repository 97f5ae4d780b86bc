import ArgumentParser
import NarrateApp
import NarrateModel
import NarrateTargets
import NarrateConfig
import NarrateReport

struct HistoryCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "history", abstract: "List entries and report runs.")

    @OptionGroup var global: GlobalOptions

    @Option(help: "Only this team's members and runs.")
    var team: String?

    @Option(help: "Only this person's entries.")
    var person: String?

    @Option(parsing: .unconditional, help: "From this day on: YYYY-MM-DD, or as --at takes it (yesterday, -2d, mon).")
    var since: String?

    @Flag(help: "Print JSON.")
    var json = false

    func run() async throws {
        let history: History
        // The day of a time typed as --at takes it: one grammar for every option.
        let first = try since.map { text in
            let zone = Config.zone(try global.loadConfig().config.timeZone)
            return LocalDate(try TimeText.parse(text, zone: zone, now: global.wiring.clock.now()), in: zone)
        }
        if let daemon = try global.daemon() {
            history = try await daemon.get(
                "/v1/history", query: [("team", team), ("person", person), ("since", first?.description)])
        } else {
            let context = try global.context()
            history = try context.historyQuery.history(team: team, person: person, since: first, visibleTo: global.requester(context))
        }
        if json { try Console.json(history) } else { Console.out(history.text) }
    }
}
