import Foundation
import Testing
@testable import NarrateApp
@testable import NarrateModel
@testable import NarrateTOML
@testable import NarrateConfig
@testable import NarrateReport
@testable import NarrateTargets
@testable import NarratePlatform
@testable import NarrateDelivery
@testable import NarrateStore

@Suite struct ReportAnalyzerTests {
    let report = ReportFixture.report

    @Test func participationSeparatesAwayFromMissing() {
        #expect(report.participation.reported.map(\.id) == ["ana", "ben", "eve"])
        #expect(report.participation.away.map(\.id) == ["chloe"])
        #expect(report.participation.missing.map(\.id) == ["dev"])
    }

    @Test func kpiImprovedWhileGuardrailBreachedIsASideEffect() {
        let lead = report.kpis.first { $0.kpi.id == "lead" }!
        #expect(lead.current == 26 && lead.previous == 38)
        #expect(lead.guardrails.map(\.state) == [.breached])
        #expect(lead.verdict == .sideEffect)
        #expect(!report.improvements.improvingKPIs.contains { $0.kpi.id == "lead" })
    }

    @Test func kpiImprovedWithGuardrailHoldingIsAnImprovement() {
        let tickets = report.kpis.first { $0.kpi.id == "tickets" }!
        #expect(tickets.verdict == .improving)
        #expect(tickets.guardrails.map(\.state) == [.holding])
        #expect(report.improvements.improvingKPIs.map(\.kpi.id) == ["tickets"])
        #expect(report.kpis.map(\.kpi.id) == ["lead", "tickets"], "guardrails are not listed as core KPIs")
    }

    @Test(arguments: [
        // (kpi now, kpi before, guardrail now, guardrail before, verdict)
        (30.0, 40.0, 12.0, 10.0, KPIStatus.Verdict.sideEffect),  // guardrail worsened within its limit
        (30.0, 40.0, 16.0, 16.0, .sideEffect),  // guardrail over its limit
        (30.0, 40.0, 9.0, 10.0, .improving),
        (30.0, 40.0, nil, 10.0, .unguarded),  // guardrail unread: not claimed as an improvement
        (45.0, 40.0, 9.0, 10.0, .worsening),
        (40.0, 40.0, 9.0, 10.0, .unchanged),
    ] as [(Double, Double, Double?, Double, KPIStatus.Verdict)])
    func verdicts(now: Double, before: Double, guardNow: Double?, guardBefore: Double, verdict: KPIStatus.Verdict) {
        let kpi = ReportFixture.kpis[0]
        let guardrail = ReportFixture.kpis[2]
        let state = KPIAnalysis.state(guardrail, guardNow, guardBefore)
        let status = GuardrailStatus(kpi: guardrail, current: guardNow, previous: guardBefore, state: state)
        #expect(KPIAnalysis.verdict(kpi, now, before, [status]) == verdict)
    }

    @Test func noReadingMeansNoData() {
        var input = ReportFixture.input
        input.readings.removeAll { $0.kpi == "lead" && $0.at < ReportFixture.week.start }
        let lead = ReportAnalyzer.analyze(input).kpis.first { $0.kpi.id == "lead" }!
        #expect(lead.verdict == .noData && lead.current == 26 && lead.previous == nil)
    }

    @Test func resolvedBlockerCarriesDaysOpenAndStage() {
        let resolved = report.improvements.resolvedBlockers
        #expect(resolved.map(\.entry.id) == [11])
        #expect(resolved[0].openFor == ReportFixture.at(2, 16).timeIntervalSince(ReportFixture.at(0, 11)))
        #expect(resolved[0].entry.stage == .middle && resolved[0].owner.id == "ana")
    }

    @Test func nextActionsFollowedThroughWithRateAgainstLastPeriod() {
        let follow = report.improvements.followThrough
        #expect((follow.done, follow.carried, follow.dropped) == (1, 1, 1))
        #expect(follow.rate == 1.0 / 3.0)
        // Last period: entry 7 done, entry 8 dropped (both open when that week began).
        #expect(follow.previousRate == 0.5)
        let ben = report.people.first { $0.person.id == "ben" }!
        #expect(ben.followUps.map(\.outcome) == [.carried])
    }

    @Test func blockersClearFasterThanThePreviousFourPeriods() {
        // This week: 2 d 5 h; before: 6 and 8 days. Then with only a 12-hour blocker before: not faster.
        let faster = report.improvements.fasterUnblocking
        #expect(faster?.median == ReportFixture.at(2, 16).timeIntervalSince(ReportFixture.at(0, 11)))
        #expect(faster?.previousMedian == 7.0 * 86_400)
        var slower = ReportFixture.input
        slower.entries.removeAll { $0.id == 5 || $0.id == 6 }
        slower.entries.append(ReportFixture.entry(30, "eve", .blocker, "quick one", ReportFixture.at(-9), state: .resolved, closedAt: ReportFixture.at(-9, 12)))
        #expect(ReportAnalyzer.analyze(slower).improvements.fasterUnblocking == nil)
    }

    @Test func openBlockersOldestFirstWithEscalation() {
        let open = report.openBlockers
        #expect(open.map(\.entry.id) == [4, 14, 20])
        #expect(open.map(\.needsAttention) == [true, true, false])
        #expect(open[1].age == ReportFixture.now.timeIntervalSince(ReportFixture.at(0, 9)))
    }

    /// A blocker open exactly `escalate_after` is at the limit: it is flagged, as the digest's
    /// "open 5 days or longer" says; a second younger is not.
    @Test func aBlockerAtExactlyTheEscalationAgeIsFlagged() {
        var input = ReportFixture.input
        let limit = TimeInterval(input.team.escalateAfter)
        input.entries.append(ReportFixture.entry(40, "eve", .blocker, "exactly at the limit", ReportFixture.now.addingTimeInterval(-limit)))
        input.entries.append(ReportFixture.entry(41, "eve", .blocker, "just under", ReportFixture.now.addingTimeInterval(-limit + 1)))
        let open = ReportAnalyzer.analyze(input).openBlockers
        #expect(open.first { $0.entry.id == 40 }?.needsAttention == true)
        #expect(open.first { $0.entry.id == 41 }?.needsAttention == false)
    }

    /// The digest's "who may need help" joins signals: Ben (load 5, mood 2 against a team's 3.3,
    /// a blocker open 17 days) and Eve (load 4, a blocker at the escalation age); Ana has none.
    @Test func whoMayNeedHelpJoinsAtLeastTwoSignals() {
        #expect(report.mayNeedHelp.map(\.person.id) == ["ben", "eve"])
        #expect(report.mayNeedHelp.first?.reasons == [.highLoad, .lowMood, .longBlocker])
        #expect(report.mayNeedHelp.last?.reasons == [.highLoad, .longBlocker])
    }

    /// A mood drop is judged against the person's own recent answers when they have some: Ana's
    /// 3 after 5, 5 and 5 is a drop even though it is the team's average.
    @Test func aMoodDropIsAgainstThePersonsOwnAverage() {
        var input = ReportFixture.input
        input.moods += [
            MoodCheckIn(id: 90, person: "ana", mood: 5, load: 3, at: ReportFixture.at(-20)),
            MoodCheckIn(id: 91, person: "ana", mood: 5, load: 3, at: ReportFixture.at(-13)),
            MoodCheckIn(id: 92, person: "ana", mood: 5, load: 3, at: ReportFixture.at(-6)),
            MoodCheckIn(id: 93, person: "ana", mood: 3, load: 5, at: ReportFixture.at(4, 20)),
        ]
        let report = ReportAnalyzer.analyze(input)
        let ana = report.moodByPerson.first { $0.person.id == "ana" }
        #expect(ana?.moodSeries.suffix(4) == [5, 5, 5, 3])
        #expect(report.mayNeedHelp.first { $0.person.id == "ana" }?.reasons == [.highLoad, .lowMood])
    }

    /// A next action open across three period starts is carried for the third period.
    @Test func carriedNextActionsCountTheirPeriods() {
        var input = ReportFixture.input
        input.entries.append(ReportFixture.entry(60, "ana", .next, "Long-running action", ReportFixture.at(-15)))
        let followUp = ReportAnalyzer.analyze(input).people.flatMap(\.followUps).first { $0.entry.id == 60 }
        #expect(followUp?.outcome == .carried)
        #expect(followUp?.periods == 3)
    }

    @Test func personNarrativesHaveTheFourPartsAndNoRanking() {
        #expect(report.people.map(\.person.id) == ReportFixture.team.members, "team order, never sorted by output")
        let ana = report.people[0]
        #expect(ana.progress.map(\.id) == [10])
        #expect(ana.blockers.map(\.id) == [11])
        #expect(ana.next.map(\.id) == [18])
        #expect(ana.learned.isEmpty)
        #expect(report.people.first { $0.person.id == "chloe" }!.isAway)
        #expect(report.people.first { $0.person.id == "dev" }!.isEmpty)
        #expect(report.improvements.wins.map(\.entry.id) == [16])
        #expect(report.learnings.map(\.entry.id) == [13, 17])
    }

    @Test func moodIsOnlyAnAggregateFromThreeAnswers() {
        let mood = report.mood!
        #expect(mood.answered == 3)
        #expect(mood.averageMood == 10.0 / 3.0)  // ana's earlier check-in is outside the week
        #expect(mood.averageLoad == 4 && mood.highLoad == 2)
        var two = ReportFixture.input
        two.moods.removeAll { $0.person == "eve" }
        let fewer = ReportAnalyzer.analyze(two)
        #expect(fewer.mood == nil)
        #expect(fewer.moodByPerson.count == 2, "the manager digest still sees them")
    }

    @Test func analysisIsDeterministic() {
        #expect(ReportAnalyzer.analyze(ReportFixture.input) == ReportAnalyzer.analyze(ReportFixture.input))
    }
}
