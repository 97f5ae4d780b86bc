import ArgumentParser
import Foundation
import NarrateStore
import NarrateModel
import NarrateTargets
import NarrateConfig
import NarrateReport
import NarrateDelivery

struct Narrate: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "narrate",
        abstract: "Team work narratives, small improvements and KPI guardrails, posted to chat on a schedule.",
        version: NarrateVersion.string,
        subcommands: [
            InitCommand.self, CheckCommand.self, LogCommand.self, ResolveCommand.self, DoneCommand.self,
            DropCommand.self, AwayCommand.self, MoodCommand.self, MetricCommand.self, PreviewCommand.self,
            HistoryCommand.self, NowCommand.self, DeliveriesCommand.self, RetryCommand.self, FormatCommand.self,
            ScheduleCommand.self, RunCommand.self, DemoCommand.self, ReportsCommand.self, EditCommand.self,
            DeleteCommand.self, UndoCommand.self, TokenCommand.self, ServeCommand.self, RemindCommand.self, SourcesCommand.self, DraftsCommand.self,
            MigrateCommand.self, StoreCommand.self, DoctorCommand.self,
        ])
}

/// The command line's entry point.
public enum NarrateMain {
    /// Parses the arguments, runs one command with `wiring`, and gives the exit status: 0
    /// success, 1 a problem the user must fix (a narrate error of any category, message on
    /// stderr), 2 a usage error.
    public static func run(wiring: Wiring = Wiring()) async -> Int32 {
        // A store with a connection pool (PostgreSQL) runs beside the command and ends with it.
        await StoreRunner.shared.running { await command(wiring: wiring) }
    }

    static func command(wiring: Wiring) async -> Int32 {
        await Wiring.$current.withValue(wiring) {
            if let problem = Narrate.unknownCommand(in: Array(CommandLine.arguments.dropFirst())) {
                Console.err(problem)
                return 2
            }
            do {
                var command = try Narrate.parseAsRoot()
                if var asyncCommand = command as? AsyncParsableCommand {
                    try await asyncCommand.run()
                } else {
                    try command.run()
                }
            } catch let error as any CategorizedError {
                Console.err("narrate: \(error)")
                return 1
            } catch {
                let code = Narrate.exitCode(for: error)
                let message = Narrate.fullMessage(for: error)
                if code == .success {
                    if !message.isEmpty { Console.out(message) }
                    return 0
                }
                if !message.isEmpty { Console.err(message) }
                // ArgumentParser says 64 for usage errors; narrate promises 2.
                return code == .validationFailure ? 2 : code.rawValue
            }
            return 0
        }
    }
}

extension Narrate {
    /// The problem with a word that names no command where one is expected (`narrate lgo …`,
    /// `narrate metric delte …`, `narrate help lgo`), with the nearest command; nil when every
    /// word names one. ArgumentParser would blame the first option after it instead (`Unknown
    /// option '--config'`), or print the main help with exit 0. A group with a default command
    /// (`away`) takes other words as that command's arguments.
    static func unknownCommand(in arguments: [String]) -> String? {
        var command: any ParsableCommand.Type = Narrate.self
        var path: [String] = []
        var words = arguments[...]
        if words.first == "help" { words = words.dropFirst() }
        while let word = words.first, !word.hasPrefix("-") {
            let subcommands = command.configuration.subcommands
            if let next = subcommands.first(where: { $0.configuration.commandName == word }) {
                command = next
                path.append(word)
                words = words.dropFirst()
                continue
            }
            guard !subcommands.isEmpty, command.configuration.defaultSubcommand == nil else { return nil }
            let names = subcommands.compactMap { $0.configuration.commandName }
            let group = path.map { $0 + " " }.joined()
            let hint = Suggestion.closest(to: word, in: names).map { "; did you mean '\(group)\($0)'?" } ?? ""
            return "narrate: unknown command '\(group)\(word)'\(hint) (`narrate \(group)--help` lists them)"
        }
        return nil
    }
}
