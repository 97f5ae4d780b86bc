import Foundation
import NarrateModel

/// Rendered reports and their parts, durable before anything is sent.
///
/// The contract an implementation keeps (SQLite today, PostgreSQL later):
/// - ``enqueue(_:parts:now:)`` commits the report and every part in one transaction;
/// - ``beginSending(_:now:)`` is a compare-and-set from `pending` to `sending` that records the
///   lease time: of two workers, exactly one gets `true`;
/// - ``requeueAbandoned(now:grace:)`` returns a `sending` part to `pending` only once its lease
///   is older than the target's grace, so a live sender's part is never taken over.
public protocol Outbox: Sendable {
    func enqueue(_ report: ReportRecord, parts: [OutboxParts], now: Date) async throws -> (ReportRecord, [Delivery])
    /// Parts not yet sent or parked, in report, target and part order.
    func unfinishedDeliveries(reports: [Int64]?, target: String?) async throws -> [Delivery]
    /// The targets with parts not yet sent or parked, in order (without reading the parts).
    func unfinishedTargets(reports: [Int64]?) async throws -> [String]
    func deliveries(reports: [Int64]?, states: [Delivery.State]?) async throws -> [Delivery]
    /// Marks a part as in flight; false when another worker got there first.
    func beginSending(_ id: Int64, now: Date) async throws -> Bool
    /// Records what became of an attempt.
    func finishAttempt(
        _ id: Int64, state: Delivery.State, error: String?, receipt: String?, nextAttemptAt: Date?, route: String?, at: Date
    ) async throws
    /// Records that each part was sent and claims its `next` part as ``beginSending(_:now:)``
    /// would, all in one transaction: parts of many targets sent at once share one write. For
    /// each part, true when its `next` was claimed.
    func finishSent(_ parts: [SentPart]) async throws -> [Bool]
    /// Parts left `sending` by a process that died go back to the queue; returns how many.
    @discardableResult func requeueAbandoned(now: Date, grace: (String) -> TimeInterval) async throws -> Int
    /// Puts parked parts back in the queue with a fresh attempt count; returns how many.
    @discardableResult func retryParked(ids: [Int64]?, now: Date) async throws -> Int
}

/// A part that was sent, and the part of the same report to claim next; or, with no `id`, only
/// a part to claim (the first of a target's run).
public struct SentPart: Sendable, Equatable {
    public var id: Int64?
    public var receipt: String?
    public var at: Date
    public var next: Int64?

    public init(id: Int64?, receipt: String?, at: Date, next: Int64?) {
        self.id = id
        self.receipt = receipt
        self.at = at
        self.next = next
    }

    /// Claims `part` as ``Outbox/beginSending(_:now:)`` does, in the same write as other parts' results.
    public static func claim(_ part: Int64, at: Date) -> SentPart {
        SentPart(id: nil, receipt: nil, at: at, next: part)
    }
}

/// The parts of one report for one target, in its dialect.
public struct OutboxParts: Sendable {
    public var target: String
    public var kind: Target.Kind
    public var bodies: [String]
    /// A personal channel's address on the target (its parts' `route`).
    public var route: String?

    public init(target: String, kind: Target.Kind, bodies: [String], route: String? = nil) {
        self.target = target
        self.kind = kind
        self.bodies = bodies
        self.route = route
    }
}

extension Outbox {
    public func unfinishedTargets(reports: [Int64]?) async throws -> [String] {
        Set(try await unfinishedDeliveries(reports: reports, target: nil).map(\.target)).sorted()
    }

    /// Records that part `id` was sent and, in the same transaction, claims part `next`: one
    /// write for both. True when `next` was claimed.
    public func finishSent(_ id: Int64, receipt: String?, at: Date, thenBegin next: Int64?) async throws -> Bool {
        try await finishSent([SentPart(id: id, receipt: receipt, at: at, next: next)])[0]
    }

    public func deliveries(reports: [Int64]? = nil) async throws -> [Delivery] {
        try await deliveries(reports: reports, states: nil)
    }

    public func finishAttempt(
        _ id: Int64, state: Delivery.State, error: String? = nil, receipt: String? = nil, nextAttemptAt: Date? = nil,
        route: String? = nil, at: Date
    ) async throws {
        try await finishAttempt(id, state: state, error: error, receipt: receipt, nextAttemptAt: nextAttemptAt, route: route, at: at)
    }
}
