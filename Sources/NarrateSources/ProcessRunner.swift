import Foundation
import NarrateModel
import NarratePlatform
import NarrateReport
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

    /// Set once, read after the program ended; the lock makes the timer's write visible.
    final class Flag: @unchecked Sendable {
        // Unchecked: every access goes through `lock`.
        private let lock = NSLock()
        private var value = false
        private var error: (any Error)?
        func set() { lock.withLock { value = true } }
        var isSet: Bool { lock.withLock { value } }
        var failure: (any Error)? {
            get { lock.withLock { error } }
            set { lock.withLock { error = newValue } }
        }
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
        let timedOut = Flag()
        // The end is awaited, not polled; the time limit is a sleep of narrate's own (``Pause``)
        // in a child task, cancelled when the program ends, so an idle daemon is not woken at
        // its deadline and nothing runs on libdispatch's pool.
        await withTaskGroup(of: Void.self) { group in
            group.addTask {
                guard (try? await Pause.sleep(seconds: timeout)) != nil, process.isRunning else { return }
                timedOut.set()
                // Foundation starts the program in its own process group: stop the group, so a
                // child it started (a `sleep` in a script) does not keep the pipes open.
                let pid = process.processIdentifier
                kill(-pid, SIGTERM)
                if (try? await Pause.sleep(seconds: 0.2)) != nil, process.isRunning { kill(-pid, SIGKILL) }
            }
            await withCheckedContinuation { (done: CheckedContinuation<Void, Never>) in
                process.terminationHandler = { _ in done.resume() }
                do {
                    try process.run()
                } catch {
                    process.terminationHandler = nil
                    timedOut.failure = error
                    done.resume()
                }
            }
            group.cancelAll()
        }
        if let failure = timedOut.failure { throw failure }
        // What is still in the pipes arrives within moments; a lingering child's does not count.
        try? await Pause.sleep(seconds: 0.05)
        out.fileHandleForReading.readabilityHandler = nil
        err.fileHandleForReading.readabilityHandler = nil
        return Result(
            status: process.terminationStatus, stdout: stdout.value, stderr: String(decoding: stderr.value, as: UTF8.self),
            timedOut: timedOut.isSet)
    }
}
