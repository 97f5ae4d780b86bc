import Foundation
import NarrateModel
import NarrateConfig
import NarrateReport
import NarrateTargets
import NarrateStore

/// A realistic week of check-ins for the demo team, so `make demo` shows a full report.
///
/// The week is the last complete ISO week before `now` in the team's zone. It has a blocker
/// that was resolved, blockers still open in different stages, next actions that were done,
/// carried and dropped, a KPI that improved while its guardrail breached, an away person and
/// mood check-ins.
public enum DemoWeek {
    public struct Line: Sendable {
        var day: Int  // 0 = Monday of the demo week; negative days are the week before
        var hour: Int
        var person: String
        var kind: Entry.Kind
        var text: String
        var stage: Entry.Stage? = nil
        var kpi: String? = nil
        var close: (state: Entry.State, day: Int, note: String?)? = nil
    }

    static let lines: [Line] = [
        // The week before: next actions that this week follows up, and an old blocker.
        Line(day: -3, hour: 17, person: "alice", kind: .next, text: "Move the CI cache to the shared bucket",
             close: (.done, 1, nil)),
        Line(day: -3, hour: 17, person: "bob", kind: .next, text: "Write the runbook for the queue failover"),
        Line(day: -3, hour: 17, person: "chen", kind: .next, text: "Prototype the canary dashboard",
             close: (.dropped, 2, "superseded by the vendor dashboard")),
        Line(day: -10, hour: 11, person: "bob", kind: .blocker,
             text: "Staging database is too small for the load test", stage: .back),
        // Monday
        Line(day: 0, hour: 10, person: "alice", kind: .progress, text: "Split the deploy pipeline into build and release stages",
             kpi: "lead-time"),
        Line(day: 0, hour: 10, person: "alice", kind: .blocker, text: "Release job waits on a manual approval from security",
             stage: .middle, close: (.resolved, 3, "approval is automatic for signed builds now")),
        Line(day: 0, hour: 11, person: "bob", kind: .progress, text: "Queue failover tested in staging twice"),
        Line(day: 0, hour: 15, person: "chen", kind: .progress, text: "Reviewed 9 pull requests for the billing service"),
        // Tuesday
        Line(day: 1, hour: 9, person: "alice", kind: .learned,
             text: "Caching the dependency resolve step saves more than caching the build itself"),
        Line(day: 1, hour: 14, person: "chen", kind: .blocker, text: "Product spec for refunds is still open on two questions",
             stage: .front),
        Line(day: 1, hour: 16, person: "bob", kind: .learned, text: "Failover takes 40 s because DNS TTL is 30 s; the client retries the rest"),
        // Wednesday
        Line(day: 2, hour: 10, person: "bob", kind: .progress, text: "Lowered the DNS TTL for the queue endpoint to 5 s"),
        Line(day: 2, hour: 11, person: "chen", kind: .progress, text: "Refund flow behind a feature flag in staging"),
        Line(day: 2, hour: 17, person: "alice", kind: .win, text: "The deploy step is one command now"),
        // Thursday
        Line(day: 3, hour: 10, person: "alice", kind: .progress, text: "Release stage runs without the manual gate"),
        Line(day: 3, hour: 12, person: "chen", kind: .learned, text: "Feature flags per tenant let support try the refund flow safely"),
        Line(day: 3, hour: 16, person: "bob", kind: .win, text: "Failover drill finished in 12 s instead of 40 s"),
        // Friday
        Line(day: 4, hour: 15, person: "alice", kind: .next, text: "Roll the new pipeline out to the two remaining services"),
        Line(day: 4, hour: 15, person: "bob", kind: .next, text: "Ask for a bigger staging database in the infra review"),
        Line(day: 4, hour: 16, person: "chen", kind: .next, text: "Close the refund spec questions with product on Monday"),
        Line(day: 4, hour: 16, person: "chen", kind: .next, text: "Add refund metrics to the billing dashboard"),
    ]

    /// Monday 00:00 of the demo week.
    public static func week(before now: Date, in zone: TimeZone) -> Period {
        Period.containing(now, kind: .week, in: zone).previous
    }

    /// Writes the demo week into the context's store; returns the week.
    @discardableResult
    public static func seed(_ context: AppContext, team teamID: String) async throws -> Period {
        let config = context.config
        let store = context.store
        let now = context.clock.now()
        let team = try config.requireTeam(teamID)
        let zone = config.zone(of: team)
        let week = week(before: now, in: zone)
        let monday = LocalDate(week.start, in: zone)
        func time(_ day: Int, _ hour: Int) -> Date {
            TimeText.local(monday.adding(days: day), hour: hour, minute: 7 * (day + 3) % 60, second: 0, zone: zone)
        }
        for line in lines where team.members.contains(line.person) {
            let entry = try await store.add(
                Entry(person: line.person, kind: line.kind, text: line.text, stage: line.stage, kpi: line.kpi,
                      at: time(line.day, line.hour)), now: time(line.day, line.hour))
            if let close = line.close {
                try await store.close(entry.id, as: close.state, note: close.note, at: time(close.day, 18))
            }
        }
        // Dana is away for the week: not counted as missing.
        if team.members.contains("dana") {
            try await store.add(Absence(person: "dana", from: monday, to: monday.adding(days: 4)))
        }
        let moods: [(String, Int, Int)] = [("alice", 4, 3), ("bob", 3, 4), ("chen", 4, 4)]
        for (person, mood, load) in moods where team.members.contains(person) {
            try await store.add(MoodCheckIn(person: person, mood: mood, load: load, at: time(4, 17)))
        }
        // Lead time improved, but change failures went past their limit: a side effect, not a win.
        // Counts are recorded as they happen (a week's value is their sum: 7 deploys, then 9);
        // an average is the mean of its readings; a ratio is its latest.
        let readings: [(String, [Double])] = [
            ("lead-time", [41, 38, 30, 26]), ("change-failure-rate", [9, 11, 12, 18]),
            ("deploy-frequency", [3, 4, 4, 5]), ("incident-minutes", [20, 18, 12, 16]),
        ]
        var metrics: [MetricReading] = []
        for (kpi, values) in readings where config.kpi(kpi) != nil {
            // Two readings last week, two this week.
            for (index, value) in values.enumerated() {
                let day = index < 2 ? -5 + index * 2 : index * 2 - 3
                metrics.append(MetricReading(kpi: kpi, value: value, at: time(day, 18), origin: .demo))
            }
        }
        // Six earlier weeks, one reading each (a count's is the week's sum), so every KPI and
        // guardrail has the eight weeks a trend needs: lead time falling, deploys rising, change
        // failures steady until the last two weeks.
        let history: [String: [Double]] = [
            "lead-time": [52, 50, 47, 46, 44, 42], "change-failure-rate": [8, 9, 8, 9, 10, 9],
            "deploy-frequency": [4, 5, 5, 6, 6, 7], "incident-minutes": [55, 48, 50, 44, 41, 39],
        ]
        for (kpi, values) in history where config.kpi(kpi) != nil {
            for (index, value) in values.enumerated() {
                metrics.append(MetricReading(kpi: kpi, value: value, at: time(-7 * (7 - index) + 2, 18), origin: .demo))
            }
        }
        try await store.record(metrics)
        return week
    }
}
