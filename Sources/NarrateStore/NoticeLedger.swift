import Foundation
import NarrateModel

/// Reminders, blocker follow-ups and escalations: each is recorded once under its key
/// (`remind:weekly:2026-11-27T09:00:00Z:1:alice`), with its messages queued in the same
/// transaction, so no restart, second daemon or manual run sends it twice.
public protocol NoticeLedger: Sendable {
    /// Records `notice` and queues its messages together; false (nothing queued) when its key
    /// was recorded before.
    func claim(_ notice: NoticeRecord, queueing messages: [QueuedReport], now: Date) async throws -> Bool
    /// Notices recorded, oldest first, optionally of one kind.
    func notices(kind: NoticeRecord.Kind?) async throws -> [NoticeRecord]
    /// Which of `keys` are recorded already.
    func recordedNotices(_ keys: [String]) async throws -> Set<String>
    /// The latest route a personal channel's message took on `target` whose route begins with
    /// `prefix` (a Matrix user's direct room, to reuse it).
    func lastRoute(target: String, startingWith prefix: String) async throws -> String?
}

public struct NoticeRecord: Sendable, Equatable {
    public enum Kind: String, Sendable, CaseIterable { case reminder, followUp = "follow-up", escalation }

    public var key: String
    public var person: String
    public var kind: Kind
    /// What was done: the channels it went to, or why it went nowhere.
    public var detail: String
    public var createdAt: Date
    /// The outbox reports of its messages.
    public var reports: [Int64]

    public init(key: String, person: String, kind: Kind, detail: String, createdAt: Date, reports: [Int64] = []) {
        self.key = key
        self.person = person
        self.kind = kind
        self.detail = detail
        self.createdAt = createdAt
        self.reports = reports
    }
}
