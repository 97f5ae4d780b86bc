import ArgumentParser
import Foundation
import NarrateCore
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
        ])
}

/// The command line's entry point.
public enum NarrateMain {
    /// Parses the arguments, runs one command with `wiring`, and exits: 0 success, 1 a problem
    /// the user must fix (a narrate error of any category, message on stderr), 2 a usage error.
    public static func run(wiring: Wiring = Wiring()) async -> Never {
        await Wiring.$current.withValue(wiring) {
            do {
                var command = try Narrate.parseAsRoot()
                // A command is a burst of work; the daemon and the check-in service keep between
                // requests only what they need (IdleMemory), so they leave the heap as glibc has it.
                if !(command is RunCommand || command is ServeCommand) { HeapTuning.apply() }
                if var asyncCommand = command as? AsyncParsableCommand {
                    try await asyncCommand.run()
                } else {
                    try command.run()
                }
            } catch let error as any CategorizedError {
                Console.err("narrate: \(error)")
                Foundation.exit(1)
            } catch {
                let code = Narrate.exitCode(for: error)
                let message = Narrate.fullMessage(for: error)
                if code == .success {
                    if !message.isEmpty { Console.out(message) }
                    Foundation.exit(0)
                }
                if !message.isEmpty { Console.err(message) }
                // ArgumentParser says 64 for usage errors; narrate promises 2.
                Foundation.exit(code == .validationFailure ? 2 : code.rawValue)
            }
            Foundation.exit(0)
        }
    }
}
