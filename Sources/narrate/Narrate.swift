import ArgumentParser
import Foundation
import NarrateKit

@main
struct Narrate: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "narrate",
        abstract: "Team work narratives, small improvements and KPI guardrails, posted to chat on a schedule.",
        version: "0.1.0",
        subcommands: [
            InitCommand.self, CheckCommand.self, LogCommand.self, ResolveCommand.self, DoneCommand.self,
            DropCommand.self, AwayCommand.self, MoodCommand.self, MetricCommand.self, PreviewCommand.self,
            HistoryCommand.self, NowCommand.self, DeliveriesCommand.self, RetryCommand.self, FormatCommand.self,
            ScheduleCommand.self, RunCommand.self, DemoCommand.self,
        ])

    /// Exit status: 0 success, 1 a problem the user must fix, 2 a usage error.
    static func main() async {
        do {
            var command = try parseAsRoot()
            if var asyncCommand = command as? AsyncParsableCommand {
                try await asyncCommand.run()
            } else {
                try command.run()
            }
        } catch let error as NarrateError {
            fail(error.message)
        } catch let error as ConfigError {
            fail(error.description)
        } catch let error as TemplateError {
            fail(error.description)
        } catch {
            let code = exitCode(for: error)
            let message = fullMessage(for: error)
            if code == .success {
                if !message.isEmpty { print(message) }
                Foundation.exit(0)
            }
            if !message.isEmpty { FileHandle.standardError.write(Data((message + "\n").utf8)) }
            // ArgumentParser says 64 for usage errors; narrate promises 2.
            Foundation.exit(code == .validationFailure ? 2 : code.rawValue)
        }
    }

    static func fail(_ message: String) -> Never {
        FileHandle.standardError.write(Data("narrate: \(message)\n".utf8))
        Foundation.exit(1)
    }
}
