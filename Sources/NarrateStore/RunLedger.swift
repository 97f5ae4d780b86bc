import Foundation
import NarrateModel

/// Which (schedule, slot) ran, was skipped or failed.
///
/// ``claim(_:)`` is an atomic insert-if-absent on (schedule, slot): when two daemons share one
/// store, exactly one of them gets `true` for a slot.
public protocol RunLedger: Sendable {
    /// Claims a (schedule, slot) for this process; false when it was already claimed or recorded.
    func claim(_ run: Run) async throws -> Bool
    func finish(schedule: String, slot: Date, state: Run.State, detail: String?, at: Date) async throws
    /// The latest slot of a schedule in the ledger (optionally in one state, before an instant,
    /// scheduled or manual only).
    func lastRun(schedule: String, state: Run.State?, before: Date?, manual: Bool?) async throws -> Run?
    func runs(since: Date?, teams: [String]?) async throws -> [Run]
}

extension RunLedger {
    public func lastRun(schedule: String) async throws -> Run? {
        try await lastRun(schedule: schedule, state: nil, before: nil, manual: nil)
    }
    public func runs() async throws -> [Run] { try await runs(since: nil, teams: nil) }
}
