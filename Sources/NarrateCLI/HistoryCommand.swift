import ArgumentParser
import NarrateCore

struct HistoryCommand: ParsableCommand {
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

    func run() throws {
        let context = try global.context()
        let history = try context.historyQuery.history(team: team, person: person, since: try since.map(LocalDate.init(parsing:)))
        if json { try Console.json(history) } else { Console.out(history.text) }
    }
}
