import Foundation
import SystemPackage

/// A child process for tests that holds no thread of Swift's cooperative pool while it runs.
///
/// Why: the test runner's tasks share a pool of one thread a core. A helper that blocked in
/// `readDataToEndOfFile` and `waitUntilExit` held one of the two for the child's whole life, so
/// the suite had to run serially; and reading stdout to its end before stderr deadlocked when
/// a child filled stderr first. Here each pipe is drained by a thread of its own from the start,
/// and the caller awaits the exit.
final class ChildProcess: Sendable {
    let process: Spawned
    private let stdout: PipeReader?
    private let stderr: PipeReader?

    /// The outcome of a child that has exited.
    struct Output: Sendable {
        var status: Int32
        var stdout: String
        var stderr: String
    }

    /// Starts `executable`, `stdin` (when given) read from a file, else /dev/null. A nil `capture` for a stream
    /// sends it to /dev/null.
    init(
        _ executable: String, _ arguments: [String], environment: [String: String]? = nil, directory: String? = nil,
        stdin: String? = nil, captureStdout: Bool = true, captureStderr: Bool = true
    ) async throws {
        let out = captureStdout ? try childPipe() : nil, err = captureStderr ? try childPipe() : nil
        // The input from a file the child reads at its own pace: nothing here can block on it, and
        // a child that ends without reading it is no error.
        var input: FileDescriptor?
        if let stdin {
            let path = temporaryDirectory("stdin") + "/input"
            try Data(stdin.utf8).write(to: URL(fileURLWithPath: path))
            input = try FileDescriptor.open(path, .readOnly)
        }
        process = try await Spawned(
            executable, arguments, environment: environment, directory: directory, stdin: input, stdout: out?.1, stderr: err?.1)
        stdout = out.map { PipeReader($0.0) }
        stderr = err.map { PipeReader($0.0) }
    }

    /// Runs a child to its end.
    static func run(
        _ executable: String, _ arguments: [String], environment: [String: String]? = nil, directory: String? = nil,
        stdin: String? = nil
    ) async throws -> Output {
        try await ChildProcess(executable, arguments, environment: environment, directory: directory, stdin: stdin).finish()
    }

    var isRunning: Bool { process.isRunning }
    var pid: Int32 { process.processIdentifier }

    func signal(_ number: Int32) { kill(process.processIdentifier, number) }

    /// What the child wrote to stderr so far.
    var stderrSoFar: String { stderr?.text ?? "" }

    /// Waits for the exit (polling, without blocking a pool thread), then for both pipes' ends.
    /// After `seconds`, the child is killed with SIGKILL.
    func finish(within seconds: TimeInterval = 600) async throws -> Output {
        try await process.exited(killingAfter: seconds)
        let out = await stdout?.finished() ?? ""
        let err = await stderr?.finished() ?? ""
        return Output(status: process.terminationStatus, stdout: out, stderr: err)
    }
}

/// Drains one pipe on a thread of its own until its end.
private final class PipeReader: @unchecked Sendable {
    // @unchecked Sendable: `data`, `done` and `waiting` are used only with `lock` held.
    private let lock = NSLock()
    private var data = Data()
    private var done = false
    private var waiting: [CheckedContinuation<String, Never>] = []

    init(_ handle: FileHandle) {
        let thread = Thread { [self] in
            while true {
                let chunk = handle.availableData
                if chunk.isEmpty { break }
                lock.withLock { data.append(chunk) }
            }
            let (text, continuations) = lock.withLock { () -> (String, [CheckedContinuation<String, Never>]) in
                done = true
                defer { waiting = [] }
                return (String(decoding: data, as: UTF8.self), waiting)
            }
            for continuation in continuations { continuation.resume(returning: text) }
        }
        thread.start()
    }

    var text: String { lock.withLock { String(decoding: data, as: UTF8.self) } }

    /// Everything read, once the pipe has ended.
    func finished() async -> String {
        await withCheckedContinuation { continuation in
            let ready: String? = lock.withLock {
                if done { return String(decoding: data, as: UTF8.self) }
                waiting.append(continuation)
                return nil
            }
            if let ready { continuation.resume(returning: ready) }
        }
    }
}
