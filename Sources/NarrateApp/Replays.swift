import Foundation
import NarrateModel
import NarrateStore

/// Signed chat requests acted on once: the store remembers each key (a Slack signature, a
/// Discord interaction id) for its platform's timestamp window, for every instance on it.
public struct Replays: Sendable {
    let context: AppContext

    /// True the first time `key` is seen at `now` within `window` seconds; false for a replay.
    public func firstSight(_ key: String, now: Date, window: TimeInterval) async throws -> Bool {
        try await context.store.firstSight(key, at: now, forgettingBefore: now.addingTimeInterval(-window))
    }
}
