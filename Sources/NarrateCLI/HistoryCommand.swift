import ArgumentParser
import NarrateApp
import NarrateModel
import NarrateTargets
import NarrateConfig
import NarrateReport
import NarrateStore

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
        /// Where an empty history was looked for.
        let place: String
        // The day of a time typed as --at takes it: one grammar for every option.
        let first = try since.map { text in
            let zone = Config.zone(try global.loadConfig().config.timeZone)
            return LocalDate(try TimeText.parse(text, zone: zone, now: global.wiring.clock.now()), in: zone)
        }
        if let daemon = try global.daemon() {
            history = try await daemon.get(
                "/v1/history", query: [("team", team), ("person", person), ("since", first?.description)])
            place = "the daemon's store (\(daemon.socket))"
        } else {
            let context = try await global.context(reading: true)
            history = try await context.historyQuery.history(team: team, person: person, since: first, visibleTo: global.requester(context))
            place = context.stateDir + "/" + SQLiteStore.fileName
        }
        if json { return try Console.json(history) }
        Console.out(history.text)
        if history.entries.isEmpty { Console.out("(looked in \(place))") }
    }
}
