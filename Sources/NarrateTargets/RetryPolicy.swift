import NarrateModel
import NarrateReport
import Foundation

/// When to try a part again, and when to give up and park it.
public struct RetryPolicy: Sendable {
    /// The first wait; each retry doubles it, up to `cap`, with jitter.
    public var base: TimeInterval
    public var cap: TimeInterval
    public var maxAttempts: Int
    /// A part older than this is parked instead of retried.
    public var maxAge: TimeInterval

    public init(base: TimeInterval = 2, cap: TimeInterval = 600, maxAttempts: Int = 8, maxAge: TimeInterval = 86_400) {
        self.base = base
        self.cap = cap
        self.maxAttempts = maxAttempts
        self.maxAge = maxAge
    }

    /// The wait after attempt number `attempt` (1-based): the target's own wait when it named
    /// one, else exponential backoff with "equal jitter" (half fixed, half random).
    public func delay(afterAttempt attempt: Int, retryAfter: TimeInterval?, random: Double = Double.random(in: 0...1))
        -> TimeInterval
    {
        if let retryAfter { return min(retryAfter, maxAge) }
        let exponential = min(cap, base * pow(2, Double(max(0, attempt - 1))))
        return exponential / 2 + exponential / 2 * random
    }
}
