import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Runs narrate's tasks on threads of its own, which block on a condition variable while there
/// is nothing to run.
///
/// Why: on Linux, Swift's global executor is libdispatch's worker pool, and once one of its
/// workers has started, libdispatch arms a one-second timer (its pool monitor) that never stops.
/// An idle daemon woke 60 times a minute for it and for nothing else. Everything the command
/// line runs prefers this executor (`withTaskExecutorPreference` in `main`), which child tasks
/// and the default actors they call inherit; sleeps go through ``Pause``. Then no dispatch
/// worker starts, and an idle daemon is not woken between its deadlines.
public final class QuietExecutor: TaskExecutor, @unchecked Sendable {
    // @unchecked Sendable: `jobs` and `head` are read and written only with `condition` locked;
    // everything else is immutable after init.
    private let condition = NSCondition()
    private var jobs: [UnownedJob] = []
    private var head = 0

    /// One executor for the process: its threads live as long as the process. One a core, and
    /// at least four: a thread waiting on SQLite's lock (another process writing) blocks, and
    /// libdispatch's pool would have added threads then, where this one does not.
    /// The processors online, from `sysconf`: Foundation's `activeProcessorCount` read the
    /// cgroup's files through `URL` and `Data` at every start, and the count matters only above
    /// four.
    public static let shared = QuietExecutor(threads: max(4, sysconf(Int32(_SC_NPROCESSORS_ONLN))))

    init(threads: Int) {
        for index in 0..<threads {
            NativeThread.start(name: "narrate-\(index)", worker: true) { [unowned self] in self.work() }
        }
    }

    public func enqueue(_ job: consuming ExecutorJob) {
        push(UnownedJob(job))
    }

    func push(_ job: UnownedJob) {
        condition.lock()
        jobs.append(job)
        condition.signal()
        condition.unlock()
    }

    /// Whether the calling thread is one of this executor's.
    static var isWorkerThread: Bool { NativeThread.isWorker }

    private func work() {
        let executor = asUnownedTaskExecutor()
        while true {
            condition.lock()
            while head == jobs.count { condition.wait() }
            let job = jobs[head]
            head += 1
            if head == jobs.count || head > 1_024 {
                jobs.removeFirst(head)
                head = 0
            }
            condition.unlock()
            job.runSynchronously(on: executor)
        }
    }

    /// Runs `body` with this executor preferred by it and every task it starts (SE-0417's task
    /// executor preference). It keeps the caller's isolation: a hop to the global executor on
    /// the way in would start the very worker pool this avoids.
    ///
    /// Only public API: Swift 6.3 has no public way to replace the global executor, so work that
    /// prefers no executor (an unstructured `Task {}`, a `Task.sleep` wake-up) still goes to
    /// libdispatch's pool. narrate starts no such work between slots (sleeps go through
    /// ``Pause``), and where a library did, that use was changed (docs/architecture.md,
    /// "Threads"). The process test `anIdleDaemonIsNotWokenAfterASlot` holds it.
    public static func run<T: Sendable>(isolation: isolated (any Actor)? = #isolation, _ body: () async -> T) async -> T {
        await withTaskExecutorPreference(shared, isolation: isolation, operation: body)
    }
}
