import Foundation

/// Signed chat requests already acted on (a Slack signature, a Discord interaction id), shared
/// by every process on the store: a request captured on the way and sent again within its
/// platform's timestamp window is refused, whichever instance behind a load balancer it reaches.
///
/// ``firstSight(_:at:forgettingBefore:)`` is an atomic insert-if-absent on the key: of two
/// processes seeing the same key, exactly one gets `true`.
public protocol ReplayLedger: Sendable {
    /// True the first time `key` is recorded; false when it is recorded already. Keys recorded
    /// before `forgettingBefore` are dropped first (a request that old is refused by its
    /// timestamp anyway).
    func firstSight(_ key: String, at: Date, forgettingBefore: Date) async throws -> Bool
}
