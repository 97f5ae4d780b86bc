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

    @Option(help: "From this day on, YYYY-MM-DD.")
    var since: String?

    @Flag(help: "Print JSON.")
    var json = false

    func run() async throws {
        let first = try since.map(LocalDate.init(parsing:))
        let history: History
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
