import Foundation

/// A person's mood and load on a 1–5 scale; shown to the team only as an aggregate.
public struct MoodCheckIn: Sendable, Equatable, Codable {
    public var id: Int64
    public var person: String
    public var mood: Int
    public var load: Int?
    public var at: Date

    public init(id: Int64 = 0, person: String, mood: Int, load: Int? = nil, at: Date) {
        self.id = id
        self.person = person
        self.mood = mood
        self.load = load
        self.at = at
    }
}

/// Days a person is away: not counted as missing from a report.
public struct Absence: Sendable, Equatable, Codable {
    public var id: Int64
    public var person: String
    public var from: LocalDate
    public var to: LocalDate

    public init(id: Int64 = 0, person: String, from: LocalDate, to: LocalDate) {
        self.id = id
        self.person = person
        self.from = from
        self.to = to
    }

    public func covers(_ day: LocalDate) -> Bool { from <= day && day <= to }
}

/// One reading of a KPI or guardrail.
public struct MetricReading: Sendable, Equatable, Codable {
    /// How a reading came in.
    public enum Origin: String, Sendable, Codable, CaseIterable {
        /// `narrate metric record` on the server's shell or through the socket.
        case cli
        /// `POST /v1/metrics` with a person's token.
        case api
        /// `narrate metric import` of a CSV file.
        case csv
        /// A source such as Prometheus.
        case source
        /// `narrate demo`'s recorded history.
        case demo
    }

    public var id: Int64
    public var kpi: String
    public var value: Double
    public var at: Date
    /// The person who recorded it, or the Unix user of a shell that is no person of the config;
    /// nil for a source's reading and for readings kept before authors were recorded.
    public var author: String?
    public var origin: Origin?

    public init(id: Int64 = 0, kpi: String, value: Double, at: Date, author: String? = nil, origin: Origin? = nil) {
        self.id = id
        self.kpi = kpi
        self.value = value
        self.at = at
        self.author = author
        self.origin = origin
    }
}

/// One scheduled (or manual) report cycle in the run ledger.
public struct Run: Sendable, Equatable, Codable {
    public enum State: String, Sendable, Codable { case started, done, failed, skipped }

    public var id: Int64
    public var schedule: String
    public var team: String
    public var slot: Date
    public var state: State
    public var at: Date
    public var detail: String?
    /// Run by hand (`narrate now`) rather than by the scheduler at a cron slot.
    public var manual: Bool

    public init(
        id: Int64 = 0, schedule: String, team: String, slot: Date, state: State, at: Date, detail: String? = nil,
        manual: Bool = false
    ) {
        self.id = id
        self.schedule = schedule
        self.team = team
        self.slot = slot
        self.state = state
        self.at = at
        self.detail = detail
        self.manual = manual
    }
}
