import Foundation

/// narrate's idea of now. Library code never calls `Date()`: the executable passes a clock in,
/// so tests can fix the time or run a day of cron in seconds.
public protocol WallClock: Sendable {
    func now() -> Date
    /// Real seconds that pass while this clock advances by `seconds` (identity for real clocks):
    /// how long to sleep, on a monotonic clock, until one of this clock's instants.
    func realSeconds(_ seconds: TimeInterval) -> TimeInterval
    /// How far this clock advances while `realSeconds` pass: a real duration (a lease, a
    /// platform's Retry-After) turned into one of this clock's instants.
    func clockSeconds(_ realSeconds: TimeInterval) -> TimeInterval
}

extension WallClock {
    public func realSeconds(_ seconds: TimeInterval) -> TimeInterval { seconds }
    public func clockSeconds(_ realSeconds: TimeInterval) -> TimeInterval { realSeconds }
}

/// The system's wall clock.
public struct SystemClock: WallClock {
    public init() {}
    public func now() -> Date { Date() }
}

/// A clock that stands still at one instant (tests, reports "as of").
public struct FixedClock: WallClock {
    public let instant: Date
    public init(_ instant: Date) { self.instant = instant }
    public func now() -> Date { instant }
}

/// A clock that starts at a given instant and then runs `rate` times faster than real time:
/// a process test reaches a DST change or the next cron minute without waiting for it.
public struct ScaledClock: WallClock {
    public let start: Date
    public let rate: Double
    private let started = ContinuousClock.now

    public init(start: Date, rate: Double) {
        self.start = start
        self.rate = max(rate, 0.001)
    }

    public func now() -> Date {
        let elapsed = ContinuousClock.now - started
        let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
        return start.addingTimeInterval(seconds * rate)
    }

    public func realSeconds(_ seconds: TimeInterval) -> TimeInterval { seconds / rate }
    public func clockSeconds(_ realSeconds: TimeInterval) -> TimeInterval { realSeconds * rate }
}
