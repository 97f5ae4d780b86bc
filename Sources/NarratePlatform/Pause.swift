import Foundation

/// Sleeps that do not go through Swift's global executor: `Task.sleep` on Linux hands the
/// wake-up to libdispatch's worker pool, which then wakes the process every second for good
/// (see ``QuietExecutor``). One thread waits for the earliest deadline of all sleepers and
/// resumes them.
public enum Pause {
    /// Returns after `seconds`; throws `CancellationError` at once when the task is cancelled.
    public static func sleep(seconds: Double) async throws {
        try await sleep(until: .now + .milliseconds(Int64((max(0, seconds) * 1_000).rounded(.up))))
    }

    public static func sleep(until deadline: ContinuousClock.Instant) async throws {
        try await Sleepers.shared.sleep(until: deadline)
    }
}

/// The sleepers and the thread that wakes them: tasks in ``Pause/sleep(until:)``.
final class Sleepers: @unchecked Sendable {
    // @unchecked Sendable: `waiting`, `nextID` and `started` are used only with `condition` locked.
    static let shared = Sleepers()
    private typealias Sleeper = (deadline: ContinuousClock.Instant, continuation: CheckedContinuation<Void, any Error>)
    private let condition = NSCondition()
    private var waiting: [UInt64: Sleeper] = [:]
    private var nextID: UInt64 = 0
    private var started = false

    func sleep(until deadline: ContinuousClock.Instant) async throws {
        let id = condition.withLock {
            nextID += 1
            return nextID
        }
        try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
                condition.lock()
                // A task is marked cancelled before its handlers run: checked under the lock,
                // a cancellation either finds the sleeper registered or is seen here.
                if Task.isCancelled {
                    condition.unlock()
                    continuation.resume(throwing: CancellationError())
                    return
                }
                add(id, (deadline, continuation))
                condition.unlock()
            }
        } onCancel: {
            let sleeper = condition.withLock { waiting.removeValue(forKey: id) }
            sleeper?.continuation.resume(throwing: CancellationError())
        }
    }

    /// With `condition` locked.
    private func add(_ id: UInt64, _ sleeper: Sleeper) {
        waiting[id] = sleeper
        if !started {
            started = true
            NativeThread.start(name: "narrate-timer", stackSize: 64 * 1024) { [self] in wake() }
        }
        condition.signal()
    }

    private func wake() {
        condition.lock()
        while true {
            let now = ContinuousClock.now
            let due = waiting.filter { $0.value.deadline <= now }
            if !due.isEmpty {
                for id in due.keys { waiting[id] = nil }
                condition.unlock()
                for sleeper in due.values { sleeper.continuation.resume() }
                condition.lock()
                continue
            }
            if let earliest = waiting.values.map(\.deadline).min() {
                let (seconds, attoseconds) = now.duration(to: earliest).components
                _ = condition.wait(until: Date(timeIntervalSinceNow: Double(seconds) + Double(attoseconds) / 1e18))
            } else {
                condition.wait()
            }
        }
    }
}
