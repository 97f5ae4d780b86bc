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
        func set() { lock.withLock { value = true } }
        var isSet: Bool { lock.withLock { value } }
    }

    static func run(_ arguments: [String], timeout: TimeInterval, environment: [String: String]? = nil) async throws -> Result {
        let command = arguments[0].hasPrefix("/") ? arguments : ["/usr/bin/env"] + arguments
        // The program gets the pipes' write ends; the read ends are drained as output comes, on
        // threads of their own (a FileHandle's readability handler would run on libdispatch's
        // pool, which then ticks every second).
        let (outRead, outWrite) = try Self.pipe(), (errRead, errWrite) = try Self.pipe()
        let pid: pid_t
        do {
            defer {
                close(outWrite)
                close(errWrite)
            }
            pid = try Spawn.start(command, environment: environment, stdout: outWrite, stderr: errWrite)
        } catch {
            close(outRead)
            close(errRead)
            throw error
        }
        let stdout = Collector(), stderr = Collector()
        Blocking.drain(outRead, name: "narrate-stdout") { stdout.append(Data($0)) }
        Blocking.drain(errRead, name: "narrate-stderr") { stderr.append(Data($0)) }
        let timedOut = Flag()
        // The end is awaited, not polled; the time limit is a sleep of narrate's own (``Pause``)
        // in a child task, cancelled when the program ends, so an idle daemon is not woken at
        // its deadline and nothing runs on libdispatch's pool.
        let status = await withTaskGroup(of: Int32?.self) { group in
            group.addTask {
                guard (try? await Pause.sleep(seconds: timeout)) != nil else { return nil }
                timedOut.set()
                // The program has a process group of its own: stop the group, so a child it
                // started (a `sleep` in a script) does not keep the pipes open.
                kill(-pid, SIGTERM)
                if (try? await Pause.sleep(seconds: 0.2)) != nil { kill(-pid, SIGKILL) }
                return nil
            }
            group.addTask { await Spawn.exit(of: pid) }
            defer { group.cancelAll() }
            while let next = await group.next() {
                if let next { return next }
            }
            return Int32(-1)
        }
        // What is still in the pipes arrives within moments; a lingering child's does not count.
        try? await Pause.sleep(seconds: 0.05)
        return Result(
            status: status, stdout: stdout.value, stderr: String(decoding: stderr.value, as: UTF8.self), timedOut: timedOut.isSet)
    }

    /// A pipe: the read end for this process, the write end for the program.
    static func pipe() throws -> (Int32, Int32) {
        var ends: [Int32] = [0, 0]
        guard Glibc.pipe(&ends) == 0 else { throw NarrateError(.internal, "no pipe for a program's output (errno \(errno))") }
        return (ends[0], ends[1])
    }
}
