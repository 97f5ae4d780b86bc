import ArgumentParser
import Foundation
import NarrateModel
import NarrateTargets
import NarrateConfig
import NarrateReport

extension Dialect: ExpressibleByArgument {}

struct FormatCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "format", abstract: "Convert CommonMark on stdin to a chat dialect, split to fit its limit.")

    /// Accepted like every command's (format itself reads no config).
    @OptionGroup var global: GlobalOptions

    @Option(help: "slack | discord | mattermost | teams | google-chat | telegram | matrix | zulip | ntfy | commonmark")
    var dialect: Dialect

    @Option(help: "A smaller part size, in the dialect's unit (characters, UTF-16 units or bytes).")
    var limit: Int?

    @Flag(help: "Print a JSON array of parts.")
    var json = false

    func validate() throws {
        if let limit, limit < 20 { throw ValidationError("--limit must be at least 20") }
    }

    func run() async throws {
        let input = String(decoding: FileHandle.standardInput.readDataToEndOfFile(), as: UTF8.self)
        let parts = MessageFormatter(dialect: dialect, limit: limit).parts(input)
        if json {
            try Console.json(parts)
        } else {
            Console.out(parts.joined(separator: "\n\n-----\n\n"))
        }
    }
}
