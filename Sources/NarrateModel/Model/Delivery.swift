import Foundation

/// One part of one report for one target, as kept in the outbox.
public struct Delivery: Sendable, Equatable, Codable {
    public enum State: String, Sendable, Codable, CaseIterable {
        case pending
        /// A request is (or was, when the process died) in flight; it is sent again on restart.
        case sending
        case sent
        /// Given up: a permanent error from the target, or retries exhausted. `narrate retry` re-queues it.
        case parked
    }

    public var id: Int64
    public var report: Int64
    public var target: String
    public var kind: String
    /// 1-based part number and the number of parts for this target.
    public var part: Int
    public var parts: Int
    /// The text of the part in the target's dialect.
    public var body: String
    public var state: State
    /// Every attempt so far, across `narrate retry`.
    public var attempts: Int
    /// `attempts` when the part was last re-queued by `narrate retry`: the retry limit counts from here.
    public var attemptsBase: Int
    public var nextAttemptAt: Date
    public var lastError: String?
    public var sentAt: Date?
    /// Where the target kept it, when it says (an event id, a message id).
    public var receipt: String?
    /// A target-specific override learned while delivering (Telegram's migrated chat id).
    public var route: String?
    public var createdAt: Date

    public init(
        id: Int64 = 0, report: Int64, target: String, kind: String, part: Int, parts: Int, body: String,
        state: State = .pending, attempts: Int = 0, attemptsBase: Int = 0, nextAttemptAt: Date, lastError: String? = nil, sentAt: Date? = nil,
        receipt: String? = nil, route: String? = nil, createdAt: Date
    ) {
        self.id = id
        self.report = report
        self.target = target
        self.kind = kind
        self.part = part
        self.parts = parts
        self.body = body
        self.state = state
        self.attempts = attempts
        self.attemptsBase = attemptsBase
        self.nextAttemptAt = nextAttemptAt
        self.lastError = lastError
        self.sentAt = sentAt
        self.receipt = receipt
        self.route = route
        self.createdAt = createdAt
    }

    /// The same key on every resend: Matrix txnId, Standard Webhooks `webhook-id`.
    public var idempotencyKey: String { "narrate-\(report)-\(target)-\(part)" }
}

/// A rendered report as recorded in the outbox before anything is sent.
public struct ReportRecord: Sendable, Equatable, Codable {
    public var id: Int64
    public var team: String
    public var schedule: String?
    public var periodStart: Date
    public var periodEnd: Date
    public var markdown: String
    public var createdAt: Date
    /// `report` (the team report), `digest` (the manager digest: per-person answers, for the
    /// team's manager and admins only), or `notice` (a reminder, follow-up or escalation for
    /// one person).
    public var kind: String = Self.reportKind
    public static let reportKind = "report"
    public static let digestKind = "digest"
    /// A notice's person (whose check-in link it carries).
    public var person: String?

    public init(
        id: Int64 = 0, team: String, schedule: String?, periodStart: Date, periodEnd: Date, markdown: String,
        createdAt: Date, kind: String = "report", person: String? = nil
    ) {
        self.kind = kind
        self.person = person
        self.id = id
        self.team = team
        self.schedule = schedule
        self.periodStart = periodStart
        self.periodEnd = periodEnd
        self.markdown = markdown
        self.createdAt = createdAt
    }
}
