import Foundation
import Synchronization

/// Requests a minute per key (a token's hash, a client address): a fixed one-minute window,
/// enough to stop a script gone wrong or a guessing client without tracking every request.
final class RateLimiter: Sendable {
    let perMinute: Int
    private let windows = Mutex<[String: (start: Date, count: Int)]>([:])

    init(perMinute: Int) { self.perMinute = perMinute }

    /// Counts a request; returns the seconds to wait when over the limit, else nil.
    func admit(_ key: String, now: Date = Date()) -> Int? {
        windows.withLock { windows in
            if windows.count > 10_000 { windows = windows.filter { now.timeIntervalSince($0.value.start) < 60 } }
            var window = windows[key] ?? (now, 0)
            if now.timeIntervalSince(window.start) >= 60 { window = (now, 0) }
            window.count += 1
            windows[key] = window
            guard window.count > perMinute else { return nil }
            return max(1, Int((60 - now.timeIntervalSince(window.start)).rounded(.up)))
        }
    }
}
