import NarrateModel
import Foundation

/// Everything the analysis needs for one team and period, gathered beforehand.
///
/// `entries` holds the members' entries of this period and the four before it, plus every
/// blocker and next action that was still open at some point of that span.
public struct ReportInput: Sendable {
    public var team: Team
    public var members: [Person]
    /// Every KPI of the config; the team's core KPIs and their guardrails are picked from it.
    public var kpis: [KPI]
    public var period: Period
    public var now: Date
    public var entries: [Entry]
    public var absences: [Absence]
    public var moods: [MoodCheckIn]
    /// Readings of this period and the previous one.
    public var readings: [MetricReading]
    /// Everyone in the config (a KPI's owner may be outside the team); the members when nil.
    public var directory: [Person]? = nil
    /// When check-ins for the period are due: the schedule's slot in the period, else its end.
    /// Before it, who has not reported is "not yet", not missing.
    public var deadline: Date? = nil

    public init(
        team: Team, members: [Person], kpis: [KPI], period: Period, now: Date, entries: [Entry],
        absences: [Absence], moods: [MoodCheckIn], readings: [MetricReading]
    ) {
        self.team = team
        self.members = members
        self.kpis = kpis
        self.period = period
        self.now = now
        self.entries = entries
        self.absences = absences
        self.moods = moods
        self.readings = readings
    }

    /// The period and the four before it: the span a report looks back over.
    public static func lookback(_ period: Period) -> (start: Date, periods: [Period]) {
        var previous: [Period] = []
        var current = period
        for _ in 0..<4 {
            current = current.previous
            previous.append(current)
        }
        return (current.start, previous)
    }
}
