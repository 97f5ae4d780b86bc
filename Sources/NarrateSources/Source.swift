import Foundation
import NarrateModel
import NarrateReport

/// Where a report's material comes from. The store is the first source; journal files, git,
/// GitHub and commands are further implementations of the same protocol.
public protocol Source: Sendable {
    /// A short name for logs and a report's footer.
    var id: String { get }
    /// What this source knows about the request's people and KPIs over its span.
    func gather(_ request: GatherRequest) async throws -> SourceBatch
}

/// What a report asks of every source: one team's people and KPIs over a span of time.
public struct GatherRequest: Sendable {
    public var team: Team
    /// Person ids of the team's members.
    public var persons: [String]
    /// The report's period.
    public var period: Period
    /// The first instant looked back to (the period and the four before it).
    public var lookbackStart: Date
    /// KPIs and guardrails whose readings the report compares.
    public var kpis: [String]
    /// Readings are needed from here on (the previous period's start).
    public var readingsStart: Date
    /// Moods are needed from here on (six periods, for the digest's trends).
    public var moodsStart: Date?

    public init(team: Team, persons: [String], period: Period, lookbackStart: Date, kpis: [String], readingsStart: Date) {
        self.team = team
        self.persons = persons
        self.period = period
        self.lookbackStart = lookbackStart
        self.kpis = kpis
        self.readingsStart = readingsStart
    }
}

/// What one source brought in.
public struct SourceBatch: Sendable {
    public var entries: [Entry]
    public var absences: [Absence]
    public var moods: [MoodCheckIn]
    public var readings: [MetricReading]

    public init(entries: [Entry] = [], absences: [Absence] = [], moods: [MoodCheckIn] = [], readings: [MetricReading] = []) {
        self.entries = entries
        self.absences = absences
        self.moods = moods
        self.readings = readings
    }
}
