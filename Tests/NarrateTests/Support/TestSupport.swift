import Foundation
import Testing
import Logging
import Synchronization
@testable import NarrateApp
@testable import NarrateModel
@testable import NarrateTOML
@testable import NarrateConfig
@testable import NarrateReport
@testable import NarrateTargets
@testable import NarratePlatform
@testable import NarrateDelivery
@testable import NarrateStore

/// Every directory a test makes lives under this one, which is removed when the test process exits.
let temporaryRoot: String = {
    let path = NSTemporaryDirectory() + "narrate-tests-\(getpid())"
    try! FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    atexit { try? FileManager.default.removeItem(atPath: temporaryRoot) }
    return path
}()

/// A fresh directory under ``temporaryRoot``.
func temporaryDirectory(_ name: String = "narrate-test") -> String {
    let path = temporaryRoot + "/\(name)-\(UUID().uuidString.prefix(8))"
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

/// A libcurl transport running for the whole test process.
let liveTransport: CurlTransport = {
    let transport = CurlTransport()
    Task.detached { try await transport.run() }
    return transport
}()

/// Lines a context's `stdout` targets printed.
final class Printed: Sendable {
    let lines = Mutex<[String]>([])
    var all: [String] { lines.withLock { $0 } }
    var output: @Sendable (String) -> Void { { text in self.lines.withLock { $0.append(text) } } }
}

/// A context on the example config (or `text`) with a fresh SQLite store, the way the
/// composition root wires one.
func exampleContext(
    config text: String = ExampleConfig.text, environment: [String: String] = [:],
    transport: any HTTPTransport = liveTransport, clock: any WallClock = SystemClock(),
    policy: RetryPolicy = RetryPolicy(), printed: Printed = Printed(), redactor: Redactor = Redactor()
) throws -> (AppContext, MemoryLog) {
    let directory = temporaryDirectory()
    let configPath = directory + "/narrate.toml"
    write(text, to: configPath)
    let log = MemoryLog()
    let (config, _) = try ConfigFile.load(path: configPath)
    let secrets = SecretResolver(environment: environment, redactor: redactor)
    secrets.prime(config)
    let stateDir = directory + "/state"
    let context = AppContext(
        config: config, store: try SQLiteStore(directory: stateDir), stateDir: stateDir, logger: log.logger, clock: clock,
        secrets: secrets, transport: transport, renderer: try ConfigFile.renderer(for: config), policy: policy,
        output: printed.output)
    return (context, log)
}

/// Runs the built `narrate` binary as a subprocess.
struct CLI {
    struct Result {
        var status: Int32
        var stdout: String
        var stderr: String
    }

    /// The binaries built from this checkout, beside the test bundle (`swift build --build-tests`
    /// builds them with the tests); no other place is searched.
    static let executable = built("narrate")
    /// The test-only entry point with an injected clock and retry base (NARRATE_TEST_*).
    static let testClockExecutable = built("narrate-test-clock")

    static func built(_ name: String) -> String {
        let directory = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath().deletingLastPathComponent()
        let path = directory.appendingPathComponent(name).path
        precondition(
            FileManager.default.isExecutableFile(atPath: path),
            "\(path) is missing: build it with `swift build --build-tests` before `swift test --skip-build`")
        return path
    }

    let directory: String
    var environment: [String: String]

    /// A CLI with its own config path and state dir under a temp directory.
    init(config: String? = ExampleConfig.text) {
        directory = temporaryDirectory("narrate-cli")
        // NARRATE_SOCKET empty: commands use this CLI's own store, even on a machine where a
        // narrate daemon listens on /run/narrate/narrate.sock.
        environment = ["PATH": "/usr/bin:/bin", "HOME": directory, "NARRATE_CONFIG": directory + "/narrate.toml",
                       "XDG_STATE_HOME": directory + "/xdg", "NARRATE_SOCKET": ""]
        if let config { write(config, to: directory + "/narrate.toml") }
    }

    var stateDir: String { directory + "/xdg/narrate" }

    @discardableResult
    func run(_ arguments: String..., stdin: String? = nil) async throws -> Result {
        try await run(arguments, stdin: stdin)
    }

    /// `narrate now` with a 50 ms retry base, through the test-only entry point.
    func now(_ arguments: String...) async throws -> Result { try await now(arguments) }

    func now(_ arguments: [String]) async throws -> Result {
        try await run(
            ["now"] + arguments, environment: ["NARRATE_TEST_RETRY_BASE": "0.05"], executable: CLI.testClockExecutable)
    }

    /// Runs the command to its end (``ChildProcess``: no pool thread is held meanwhile).
    @discardableResult
    func run(
        _ arguments: [String], stdin: String? = nil, environment extra: [String: String] = [:], executable: String = CLI.executable
    ) async throws -> Result {
        let output = try await ChildProcess.run(
            executable, arguments, environment: environment.merging(extra) { $1 }, directory: directory, stdin: stdin)
        return Result(status: output.status, stdout: output.stdout, stderr: output.stderr)
    }
}

/// An instant typed as a user would, read in `zone` (UTC when the zone is not a real one).
func time(_ text: String, _ zone: String) throws -> Date {
    try TimeText.parse(text, zone: TimeZone(identifier: zone) ?? .gmt, now: Date())
}
