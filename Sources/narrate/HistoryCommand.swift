import ArgumentParser
import NarrateKit

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
        let history = try global.workspace().history(team: team, person: person, since: since)
        if json { try printJSON(history) } else { print(history.text) }
    }
}
