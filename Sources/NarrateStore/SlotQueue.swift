import Foundation
import NarrateModel

/// A scheduled slot's claim and its reports, committed together.
public protocol SlotQueue: Sendable {
    /// Claims (schedule, slot) and queues its reports and all their parts in one transaction:
    /// afterwards either the slot is recorded `done` with its reports queued, or nothing is
    /// recorded and the slot can be tried again. Nil when the slot was already claimed (by
    /// another daemon, or recorded as skipped or failed).
    func claim(_ run: Run, queueing reports: [QueuedReport], now: Date) async throws -> [(ReportRecord, [Delivery])]?
    /// Several slots' claims, as ``claim(_:queueing:now:)`` each, in one transaction (`narrate now`
    /// queues every team's report at once). For each slot, nil when it was already claimed.
    func claim(_ slots: [(Run, [QueuedReport])], now: Date) async throws -> [[(ReportRecord, [Delivery])]?]
}

extension SlotQueue {
    public func claim(_ slots: [(Run, [QueuedReport])], now: Date) async throws -> [[(ReportRecord, [Delivery])]?] {
        var claimed: [[(ReportRecord, [Delivery])]?] = []
        for (run, reports) in slots { claimed.append(try await claim(run, queueing: reports, now: now)) }
        return claimed
    }
}

/// A rendered report and the parts each of its targets receives.
public struct QueuedReport: Sendable {
    public var record: ReportRecord
    public var parts: [OutboxParts]

    public init(record: ReportRecord, parts: [OutboxParts]) {
        self.record = record
        self.parts = parts
    }
}
