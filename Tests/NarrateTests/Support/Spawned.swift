import Foundation
import Subprocess
import Synchronization
import SystemPackage

/// A program a test starts, through swift-subprocess (posix_spawn, every other descriptor closed
/// in the child). Foundation's `Process.run` on Linux copies 256 bytes of every `/proc/self/fd`
/// entry and now and then reads past a page into unmapped memory: the whole test process died
/// with SIGSEGV in `Process.run` (swift-corelibs-foundation#5472; Swift 6.3's release has it).
/// The few calls the tests made on `Process` keep their names.
final class Spawned: Sendable {
    enum TerminationReason: Sendable { case exit, uncaughtSignal }

    let processIdentifier: pid_t
    private let ending: Ending

    /// Starts `executable`. `stdin`, `stdout` and `stderr` are descriptors the child gets (this
    /// process's copies are closed once it has started); nil is /dev/null. It runs in a process
    /// group of its own, as with Foundation.
    init(
        _ executable: String, _ arguments: [String], environment: [String: String]? = nil, directory: String? = nil,
        stdin: FileDescriptor? = nil, stdout: FileDescriptor? = nil, stderr: FileDescriptor? = nil
    ) async throws {
        let variables: Environment = environment.map {
            .custom(Dictionary(uniqueKeysWithValues: $0.map { (Environment.Key(stringLiteral: $0.key), $0.value) }))
        } ?? .inherit
        let options = { var options = PlatformOptions(); options.processGroupID = 0; return options }()
        let input = try stdin ?? FileDescriptor.open("/dev/null", .readOnly)
        let output = try stdout ?? FileDescriptor.open("/dev/null", .writeOnly)
        let error = try stderr ?? FileDescriptor.open("/dev/null", .writeOnly)
        let ending = Ending()
        let (started, start) = AsyncStream<pid_t>.makeStream()
        // Unstructured: the child outlives this call, and the test awaits its end later
        // (`exited`, `finish`); the task ends with the child.
        Task {
            do {
                let result = try await Subprocess.run(
                    .path(FilePath(executable)), arguments: Arguments(arguments), environment: variables,
                    workingDirectory: directory.map { FilePath($0) }, platformOptions: options,
                    input: .fileDescriptor(input, closeAfterSpawningProcess: true),
                    output: .fileDescriptor(output, closeAfterSpawningProcess: true),
                    error: .fileDescriptor(error, closeAfterSpawningProcess: true)
                ) { execution in
                    start.yield(execution.processIdentifier.value)
                    start.finish()
                }
                ending.end(result.terminationStatus)
            } catch {
                ending.fail(error)
                start.finish()
            }
        }
        var pids = started.makeAsyncIterator()
        guard let pid = await pids.next() else {
            throw await ending.failure() ?? CancellationError()
        }
        processIdentifier = pid
        self.ending = ending
    }

    var isRunning: Bool { !ending.hasEnded }

    /// The exit code, or the signal that ended it; 0 while it runs.
    var terminationStatus: Int32 {
        switch ending.status {
        case .exited(let code): code
        case .signaled(let signal): signal
        case nil: 0
        }
    }

    var terminationReason: TerminationReason {
        if case .signaled = ending.status { return .uncaughtSignal }
        return .exit
    }

    func terminate() { if isRunning { kill(processIdentifier, SIGTERM) } }

    /// Waits for the end without holding a thread; after `seconds`, the child gets SIGKILL.
    func exited(killingAfter seconds: TimeInterval = 600) async throws {
        let deadline = Date().addingTimeInterval(seconds)
        while isRunning {
            if Date() > deadline { kill(processIdentifier, SIGKILL) }
            try await Task.sleep(nanoseconds: 20_000_000)
        }
    }

    /// How the child ended, set once by the task that started it.
    private final class Ending: Sendable {
        private let state = Mutex<(status: TerminationStatus?, error: (any Error)?, ended: Bool)>((nil, nil, false))

        func end(_ status: TerminationStatus) { state.withLock { $0 = (status, nil, true) } }
        func fail(_ error: any Error) { state.withLock { $0 = (nil, error, true) } }
        var hasEnded: Bool { state.withLock { $0.ended } }
        var status: TerminationStatus? { state.withLock { $0.status } }

        /// The error the start failed with, once the starting task has ended.
        func failure() async -> (any Error)? {
            while !hasEnded { try? await Task.sleep(nanoseconds: 1_000_000) }
            return state.withLock { $0.error }
        }
    }
}

/// A pipe for a child's output or input: this process's end as a handle, the child's as a
/// descriptor handed to ``Spawned``.
func childPipe(childReads: Bool = false) throws -> (FileHandle, FileDescriptor) {
    var ends: [Int32] = [0, 0]
    guard pipe(&ends) == 0 else { throw POSIXError(.EMFILE) }
    // Ours must not leak into other children started meanwhile (theirs are closed by the spawn).
    _ = fcntl(childReads ? ends[1] : ends[0], F_SETFD, FD_CLOEXEC)
    return childReads
        ? (FileHandle(fileDescriptor: ends[1], closeOnDealloc: true), FileDescriptor(rawValue: ends[0]))
        : (FileHandle(fileDescriptor: ends[0], closeOnDealloc: true), FileDescriptor(rawValue: ends[1]))
}
