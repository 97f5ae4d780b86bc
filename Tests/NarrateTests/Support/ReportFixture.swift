import Foundation
@testable import NarrateApp
@testable import NarrateModel
@testable import NarrateTOML
@testable import NarrateConfig
@testable import NarrateReport
@testable import NarrateTargets
@testable import NarratePlatform
@testable import NarrateDelivery
@testable import NarrateStore

/// A realistic team week with fixed times: a resolved blocker, a KPI that improved while its
/// guardrail breached, a KPI that improved with its guardrail holding, a carried next action,
/// an away person and a missing report.
enum ReportFixture {
    static let zone = TimeZone(identifier: "Asia/Taipei")!

    /// 2026-11-16 (Monday) plus `day` days, at `hour`:00 Taipei time.
    static func at(_ day: Int, _ hour: Int = 10) -> Date {
        TimeText.local(LocalDate(year: 2026, month: 11, day: 16).adding(days: day), hour: hour, minute: 0, second: 0, zone: zone)
    }

    static let week = Period.containing(at(2), kind: .week, in: zone)
    /// Saturday noon, after the week's last entry.
    static let now = at(5, 12)

    static let people = [
        Person(id: "ana", name: "Ana Lee"), Person(id: "ben", name: "Ben *Bold* Wu"),
        Person(id: "chloe", name: "Chloe Tsai"), Person(id: "dev", name: "Dev Rao"), Person(id: "eve", name: "Eve Lin"),
    ]

    static let team = Team(
        id: "core", name: "Core Services", members: people.map(\.id), manager: "mia", escalateAfter: 5 * 86_400)

    static let kpis = [
        KPI(id: "lead", team: "core", name: "Lead time", kind: .average, unit: "h", direction: .down, target: 24,
            horizon: .leading, review: .weekly, guardrails: ["cfr"]),
        KPI(id: "tickets", team: "core", name: "Tickets closed", kind: .count, unit: "tickets", direction: .up, target: 40,
            horizon: .lagging, review: .weekly, guardrails: ["reopen"]),
        KPI(id: "cfr", team: "core", name: "Change failure rate", role: .guardrail, kind: .ratio, unit: "%",
            direction: .down, limit: 15, review: .weekly),
        KPI(id: "reopen", team: "core", name: "Reopened tickets", role: .guardrail, kind: .count, unit: "tickets",
            direction: .down, limit: 5, review: .weekly),
    ]

    static func entry(_ id: Int64, _ person: String, _ kind: Entry.Kind, _ text: String, _ at: Date,
                      stage: Entry.Stage? = nil, state: Entry.State? = nil, closedAt: Date? = nil) -> Entry {
        Entry(id: id, person: person, kind: kind, text: text, stage: stage, at: at, state: state, closedAt: closedAt)
    }

    static let entries: [Entry] = [
        // Earlier periods: next actions to follow up, an old blocker, blockers resolved slowly.
        entry(1, "ana", .next, "Ship the retry budget", at(-3), state: .done, closedAt: at(1)),
        entry(2, "ben", .next, "Write the failover runbook", at(-3)),
        entry(3, "eve", .next, "Prototype the cost dashboard", at(-3), state: .dropped, closedAt: at(2)),
        entry(4, "ben", .blocker, "Staging DB too small for load tests", at(-12), stage: .back),
        entry(5, "ana", .blocker, "Vendor API keys pending", at(-20), stage: .front, state: .resolved, closedAt: at(-14)),
        entry(6, "eve", .blocker, "Flaky integration suite", at(-25), stage: .middle, state: .resolved, closedAt: at(-17)),
        entry(7, "ana", .next, "Old action done last week", at(-10), state: .done, closedAt: at(-5)),
        entry(8, "ben", .next, "Old action dropped last week", at(-10), state: .dropped, closedAt: at(-6)),
        // This week.
        entry(10, "ana", .progress, "Split the deploy pipeline into **build** and release", at(0)),
        {
            var resolved = entry(11, "ana", .blocker, "Release waits on manual security approval", at(0, 11), stage: .middle,
                                 state: .resolved, closedAt: at(2, 16))
            resolved.note = "signed builds are approved automatically now"
            return resolved
        }(),
        entry(12, "ben", .progress, "Failover tested twice @here <b>really</b>", at(1)),
        entry(13, "ben", .learned, "DNS TTL dominates failover time", at(1, 15)),
        entry(14, "eve", .blocker, "Refund spec still has two open questions", at(0, 9), stage: .front),
        entry(15, "eve", .progress, "Refund flow behind a flag", at(2)),
        entry(16, "ana", .win, "Deploy is one command now", at(2, 17)),
        entry(17, "eve", .learned, "Per-tenant flags let support try features safely", at(3)),
        entry(18, "ana", .next, "Roll the pipeline out to billing", at(4, 15)),
        entry(19, "eve", .next, "Close the refund questions with product", at(4, 16)),
        entry(20, "ben", .blocker, "No access to prod logs", at(3), state: nil),
        entry(21, "eve", .ask, "Need a product call on the refund edge cases", at(3, 14)),
        entry(22, "ana", .decision, "Keep or drop the legacy deploy script?", at(4, 11)),
        entry(23, "ben", .helped, "Reviewed Ana's pipeline split", at(2, 12)),
    ]

    static let absences = [Absence(person: "chloe", from: LocalDate(year: 2026, month: 11, day: 16), to: LocalDate(year: 2026, month: 11, day: 20))]

    static let moods = [
        MoodCheckIn(person: "ana", mood: 4, load: 3, at: at(4, 17)), MoodCheckIn(person: "ben", mood: 2, load: 5, at: at(4, 17)),
        MoodCheckIn(person: "eve", mood: 4, load: 4, at: at(4, 18)), MoodCheckIn(person: "ana", mood: 5, load: 2, at: at(-2)),
    ]

    static let readings = [
        MetricReading(kpi: "lead", value: 38, at: at(-3)), MetricReading(kpi: "lead", value: 26, at: at(4)),
        MetricReading(kpi: "cfr", value: 11, at: at(-3)), MetricReading(kpi: "cfr", value: 18, at: at(4)),
        MetricReading(kpi: "tickets", value: 31, at: at(-3)), MetricReading(kpi: "tickets", value: 36, at: at(4)),
        MetricReading(kpi: "reopen", value: 3, at: at(-3)), MetricReading(kpi: "reopen", value: 2, at: at(4)),
    ]

    static var input: ReportInput {
        ReportInput(
            team: team, members: people, kpis: kpis, period: week, now: now, entries: entries, absences: absences,
            moods: moods, readings: readings)
    }

    static var report: Report { ReportAnalyzer.analyze(input) }
}
