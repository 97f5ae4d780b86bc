import Foundation
import Synchronization

/// Runs a program with a time limit and collects its output (git, a source's command).
enum ProcessRunner {
    struct Result {
        var status: Int32
        var stdout: Data
        var stderr: String
        var timedOut: Bool
    }

    /// Output read as it comes: a program's own children may keep the pipes open after it is
    /// stopped, so the runner takes what arrived instead of waiting for the end of the stream.
    final class Collector: Sendable {
        private let data = Mutex(Data())
        func append(_ more: Data) { data.withLock { $0.append(more) } }
        var value: Data { data.withLock { $0 } }
    }

    static func run(_ arguments: [String], timeout: TimeInterval, environment: [String: String]? = nil) async throws -> Result {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: arguments[0].hasPrefix("/") ? arguments[0] : "/usr/bin/env")
        process.arguments = arguments[0].hasPrefix("/") ? Array(arguments.dropFirst()) : arguments
        if let environment { process.environment = environment }
        let out = Pipe(), err = Pipe()
        let stdout = Collector(), stderr = Collector()
        out.fileHandleForReading.readabilityHandler = { handle in
            let chunk = handle.availableData
            if chunk.isEmpty { handle.readabilityHandler = nil } else { stdout.append(chunk) }
        }
        err.fileHandleForReading.readabilityHandler = { handle in
            let chunk = handle.availableData
            if chunk.isEmpty { handle.readabilityHandler = nil } else { stderr.append(chunk) }
        }
        process.standardOutput = out
        process.standardError = err
        process.standardInput = FileHandle.nullDevice
        try process.run()
        let deadline = Date().addingTimeInterval(timeout)
        var timedOut = false
        while process.isRunning {
            if Date() >= deadline {
                timedOut = true
                // Foundation starts the program in its own process group: stop the group, so a
                // child it started (a `sleep` in a script) does not keep the pipes open.
                kill(-process.processIdentifier, SIGTERM)
                try? await Task.sleep(nanoseconds: 200_000_000)
                if process.isRunning { kill(-process.processIdentifier, SIGKILL) }
                break
            }
            try? await Task.sleep(nanoseconds: 10_000_000)
        }
        process.waitUntilExit()
        // What is still in the pipes arrives within moments; a lingering child's does not count.
        try? await Task.sleep(nanoseconds: 50_000_000)
        out.fileHandleForReading.readabilityHandler = nil
        err.fileHandleForReading.readabilityHandler = nil
        return Result(
            status: process.terminationStatus, stdout: stdout.value, stderr: String(decoding: stderr.value, as: UTF8.self), timedOut: timedOut)
    }
}
