import Foundation
import Synchronization

/// Remembers what a chat platform sent within its timestamp window (a Slack signature, a
/// Discord interaction id), so the same signed request is acted on once: a request captured on
/// the way and sent again within the window is refused. Older keys are forgotten, since a
/// request that old is refused by its timestamp anyway.
///
/// One process's memory: two instances behind one load balancer each accept a replay once.
final class ReplayGuard: Sendable {
    let window: TimeInterval
    /// Keys kept at most; beyond it the oldest half is dropped (a flood of valid signed requests
    /// is already bounded by the platform's own rate).
    let capacity: Int
    private let seen = Mutex<[String: Date]>([:])

    init(window: TimeInterval, capacity: Int = 100_000) {
        self.window = window
        self.capacity = capacity
    }

    /// True the first time `key` is seen within the window; false for a replay.
    func firstSight(_ key: String, now: Date) -> Bool {
        seen.withLock { seen in
            if let at = seen[key], now.timeIntervalSince(at) <= window { return false }
            if seen.count >= capacity {
                seen = seen.filter { now.timeIntervalSince($0.value) <= window }
                if seen.count >= capacity {
                    let keep = seen.sorted { $0.value > $1.value }.prefix(capacity / 2)
                    seen = Dictionary(uniqueKeysWithValues: keep.map { ($0.key, $0.value) })
                }
            }
            seen[key] = now
            return true
        }
    }
}
