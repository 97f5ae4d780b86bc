import Foundation

/// The daemon's idea of now: the wall clock, or — for tests that must reach a given date
/// (a DST change, the next cron minute) without waiting for it — a start instant that then
/// advances at `rate` times real speed.
public struct DaemonClock: Sendable {
    let start: Date?
    let rate: Double
    let started = ContinuousClock.now

    public init(start: Date? = nil, rate: Double = 1) {
        self.start = start
        self.rate = start == nil ? 1 : max(rate, 0.001)
    }

    /// `NARRATE_CLOCK_START` (an ISO 8601 instant) and `NARRATE_CLOCK_RATE`, read only by
    /// `narrate run` and meant for tests; without them the daemon uses the wall clock.
    public init(environment: [String: String]) throws {
        if let text = environment["NARRATE_CLOCK_START"] {
            self.init(start: try TimeText.parse(text, zone: .gmt), rate: environment["NARRATE_CLOCK_RATE"].flatMap(Double.init) ?? 1)
        } else {
            self.init()
        }
    }

    public var now: Date {
        guard let start else { return Date() }
        let elapsed = ContinuousClock.now - started
        let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
        return start.addingTimeInterval(seconds * rate)
    }

    /// Real seconds to sleep for `seconds` of this clock.
    public func realSeconds(_ seconds: TimeInterval) -> TimeInterval { seconds / rate }
}
