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

    /// Runs `body` with this executor preferred by it and every task it starts, and sends the
    /// global executor's work here too (see ``takeOverGlobalExecutor()``). It keeps the caller's
    /// isolation: a hop to the global executor on the way in would start the very worker pool
    /// this avoids.
    ///
    /// `takingOverGlobalExecutor: false` leaves the hooks alone, as a statically linked narrate
    /// must (its copy of the runtime does not export them): the test entry point runs the daemon
    /// both ways.
    public static func run<T: Sendable>(
        isolation: isolated (any Actor)? = #isolation, takingOverGlobalExecutor: Bool = true, _ body: () async -> T
    ) async -> T {
        if takingOverGlobalExecutor { takeOverGlobalExecutor() }
        return await withTaskExecutorPreference(shared, isolation: isolation, operation: body)
    }

    /// Sends what would go to the global executor here: tasks that prefer no executor (a
    /// library's unstructured `Task {}`, which does not inherit the preference) and the wake-ups
    /// of `Task.sleep`, through the concurrency runtime's enqueue hooks (the ones
    /// swift-concurrency-extras' `withMainSerialExecutor` uses). A runtime without them keeps
    /// its global executor; narrate works the same. A statically linked narrate has them only
    /// as local symbols, which `dlsym` does not find: there, quiet rests on nothing in narrate or
    /// its libraries starting unstructured tasks or sleeping with `Task.sleep` between slots.
    static func takeOverGlobalExecutor() {
        typealias Enqueue = @convention(thin) (UnownedJob) -> Void
        typealias EnqueueHook = @convention(thin) (UnownedJob, Enqueue) -> Void
        typealias Delay = @convention(thin) (UInt64, UnownedJob) -> Void
        typealias DelayHook = @convention(thin) (UInt64, UnownedJob, Delay) -> Void
        typealias Deadline = @convention(thin) (Int64, Int64, Int64, Int64, Int32, UnownedJob) -> Void
        typealias DeadlineHook = @convention(thin) (Int64, Int64, Int64, Int64, Int32, UnownedJob, Deadline) -> Void
        let process = dlopen(nil, RTLD_NOW)
        if let hook = dlsym(process, "swift_task_enqueueGlobal_hook") {
            hook.assumingMemoryBound(to: EnqueueHook?.self).pointee = { job, _ in QuietExecutor.shared.push(job) }
        }
        if let hook = dlsym(process, "swift_task_enqueueGlobalWithDelay_hook") {
            hook.assumingMemoryBound(to: DelayHook?.self).pointee = { nanoseconds, job, _ in
                Sleepers.shared.push(job, at: .now + .nanoseconds(Int64(clamping: nanoseconds)))
            }
        }
        if let hook = dlsym(process, "swift_task_enqueueGlobalWithDeadline_hook") {
            hook.assumingMemoryBound(to: DeadlineHook?.self).pointee = { seconds, nanoseconds, _, _, clock, job, _ in
                // The deadline is on the continuous (1) or the suspending (2) clock: what is left
                // of it, from now on the continuous one.
                var now = timespec()
                clock_gettime(clock == 2 ? CLOCK_MONOTONIC : CLOCK_BOOTTIME, &now)
                let left = Duration.seconds(seconds - Int64(now.tv_sec)) + .nanoseconds(nanoseconds - Int64(now.tv_nsec))
                Sleepers.shared.push(job, at: .now + left)
            }
        }
    }
}
