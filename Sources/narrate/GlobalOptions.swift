import ArgumentParser
import Foundation
import Logging
import NarrateKit

/// Options every subcommand takes.
struct GlobalOptions: ParsableArguments {
    @Option(help: "Config file (else $NARRATE_CONFIG, ./narrate.toml, /etc/narrate/narrate.toml).")
    var config: String?

    @Option(name: .customLong("state-dir"), help: "State directory (else $STATE_DIRECTORY, $XDG_STATE_HOME/narrate, ~/.local/state/narrate).")
    var stateDir: String?

    @Flag(help: "Log more.")
    var verbose = false

    @Flag(help: "Log only errors.")
    var quiet = false

    var configPath: String {
        if let config { return config }
        if let env = ProcessInfo.processInfo.environment["NARRATE_CONFIG"], !env.isEmpty { return env }
        if FileManager.default.fileExists(atPath: "narrate.toml") { return "narrate.toml" }
        if FileManager.default.fileExists(atPath: "/etc/narrate/narrate.toml") { return "/etc/narrate/narrate.toml" }
        return "narrate.toml"
    }

    var logger: Logger {
        let level: Logger.Level = verbose ? .debug : quiet ? .error : .notice
        return Logger(label: "narrate") { _ in TerminalLogHandler(level: level) }
    }

    func workspace() throws -> Workspace {
        try Workspace.open(configPath: configPath, stateDirFlag: stateDir, logger: logger)
    }
}

/// Prints a value as pretty JSON with sorted keys.
func printJSON(_ value: some Encodable) throws {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
    print(String(decoding: try encoder.encode(value), as: UTF8.self))
}
