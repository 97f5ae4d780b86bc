import Foundation
import SystemPackage
import Testing

/// `narrate serve` or `narrate run` as a real process, its log in a file the test reads to learn
/// the port it bound.
final class ServeProcess {
    let process: Spawned
    let logPath: String

    init(
        _ cli: CLI, command: [String] = ["serve"], environment extra: [String: String] = [:], executable: String = CLI.executable
    ) async throws {
        logPath = cli.directory + "/serve-\(UUID().uuidString.prefix(6)).log"
        _ = FileManager.default.createFile(atPath: logPath, contents: nil)
        process = try await Spawned(
            executable, command, environment: cli.environment.merging(extra) { $1 }, directory: cli.directory,
            stderr: try FileDescriptor.open(logPath, .writeOnly))
    }

    var log: String { (try? String(contentsOfFile: logPath, encoding: .utf8)) ?? "" }

    /// Waits until the log has a line containing `text`; returns that line. Generous: the whole
    /// suite runs in parallel on two cores, and a process may take a while to start then.
    func waitFor(_ text: String, seconds: TimeInterval = 90) async throws -> String {
        let deadline = Date().addingTimeInterval(seconds)
        while Date() < deadline {
            if let line = log.split(separator: "\n").first(where: { $0.contains(text) }) { return String(line) }
            if !process.isRunning { break }
            try await Task.sleep(nanoseconds: 50_000_000)
        }
        Issue.record("no \"\(text)\" in the log: \(log)")
        throw CancellationError()
    }

    /// The TCP port of "check-in service listening on …:PORT".
    func port() async throws -> Int {
        let line = try await waitFor("check-in service listening on")
        // As people write an address: `127.0.0.1:PORT`, not NIO's `[IPv4]127.0.0.1/127.0.0.1:PORT`.
        #expect(line.hasSuffix(" listening on 127.0.0.1:" + (line.split(separator: ":").last ?? "")), "\(line)")
        return try #require(Int(line.split(separator: ":").last ?? ""))
    }

    /// SIGTERM, without waiting (a `defer`): the process ends on its own.
    func stop() {
        if process.isRunning { process.terminate() }
    }

    /// SIGTERM, then the exit status, awaited without holding a thread (see ``ChildProcess``).
    func stopped() async throws -> Int32 {
        stop()
        try await process.exited()
        return process.terminationStatus
    }

    deinit { if process.isRunning { process.terminate() } }
}
