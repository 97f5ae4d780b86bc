import Foundation
import Testing
import Logging
import Synchronization
@testable import NarrateKit

/// A fresh directory under the system temp dir, removed by the caller when wanted.
func temporaryDirectory(_ name: String = "narrate-test") -> String {
    let path = NSTemporaryDirectory() + "\(name)-\(UUID().uuidString.prefix(8))"
    try! FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    return path
}

func write(_ text: String, to path: String) {
    try! FileManager.default.createDirectory(
        atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
    try! text.write(toFile: path, atomically: true, encoding: .utf8)
}

/// Diagnostics for a config text, as `LINE: severity: keyPath: message` without the file name.
func diagnostics(_ text: String) -> [Diagnostic] {
    Config.parse(text: text, file: "t.toml").diagnostics
}

/// The example config with some text replaced, for one-rule tests.
func exampleConfig(replacing old: String = "", with new: String = "") -> String {
    if old.isEmpty { return ExampleConfig.text }
    if !ExampleConfig.text.contains(old) { Issue.record("the example config has no \(old)") }
    return ExampleConfig.text.replacingOccurrences(of: old, with: new)
}

/// Log events kept in memory so tests can read what was logged.
final class MemoryLog: Sendable {
    private let lines = Mutex<[String]>([])

    func append(_ line: String) { lines.withLock { $0.append(line) } }
    var all: [String] { lines.withLock { $0 } }

    var logger: Logger {
        Logger(label: "test") { _ in MemoryLogHandler(log: self) }
    }
}

struct MemoryLogHandler: LogHandler {
    let log: MemoryLog
    var logLevel: Logger.Level = .trace
    var metadata: Logger.Metadata = [:]
    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }
    func log(event: LogEvent) { log.append("\(event.level): \(event.message)") }
}

/// A workspace on the example config with a fresh store.
func exampleWorkspace(config text: String = ExampleConfig.text) throws -> (Workspace, MemoryLog) {
    let directory = temporaryDirectory()
    let configPath = directory + "/narrate.toml"
    write(text, to: configPath)
    let log = MemoryLog()
    let workspace = try Workspace.open(configPath: configPath, stateDirFlag: directory + "/state", logger: log.logger)
    return (workspace, log)
}

/// Runs the built `narrate` binary as a subprocess.
struct CLI {
    struct Result {
        var status: Int32
        var stdout: String
        var stderr: String
    }

    static let executable: String = {
        let beside = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
            .appendingPathComponent("narrate").path
        if FileManager.default.isExecutableFile(atPath: beside) { return beside }
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().deletingLastPathComponent()
        return root.appendingPathComponent(".build/debug/narrate").path
    }()

    let directory: String
    var environment: [String: String]

    /// A CLI with its own config path and state dir under a temp directory.
    init(config: String? = ExampleConfig.text) {
        directory = temporaryDirectory("narrate-cli")
        environment = ["PATH": "/usr/bin:/bin", "HOME": directory, "NARRATE_CONFIG": directory + "/narrate.toml",
                       "XDG_STATE_HOME": directory + "/xdg"]
        if let config { write(config, to: directory + "/narrate.toml") }
    }

    var stateDir: String { directory + "/xdg/narrate" }

    @discardableResult
    func run(_ arguments: String..., stdin: String? = nil) throws -> Result {
        try run(arguments, stdin: stdin)
    }

    func run(_ arguments: [String], stdin: String? = nil, environment extra: [String: String] = [:]) throws -> Result {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: Self.executable)
        process.arguments = arguments
        process.environment = environment.merging(extra) { $1 }
        process.currentDirectoryURL = URL(fileURLWithPath: directory)
        let out = Pipe(), err = Pipe(), input = Pipe()
        process.standardOutput = out
        process.standardError = err
        process.standardInput = input
        try process.run()
        if let stdin { input.fileHandleForWriting.write(Data(stdin.utf8)) }
        try input.fileHandleForWriting.close()
        let outData = out.fileHandleForReading.readDataToEndOfFile()
        let errData = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return Result(
            status: process.terminationStatus, stdout: String(decoding: outData, as: UTF8.self),
            stderr: String(decoding: errData, as: UTF8.self))
    }
}
