import Foundation
import Testing
@testable import NarrateApp
@testable import NarrateModel
@testable import NarrateTOML
@testable import NarrateConfig
@testable import NarrateReport
@testable import NarrateTargets
@testable import NarratePlatform
@testable import NarrateStore

/// What a report says must be true on every path: a guardrail that got worse is a side effect
/// in whichever tier, a KPI is judged on the report's own period, nothing dated after the
/// report counts, and a rate is an improvement only when it rose.
@Suite struct ReportNeverFlattersTests {
    let renderer = try! ReportRenderer()

    /// The six weeks of `KPITrendTests`, with the change failure rate's warning tier at 12%.
    static func sixWeeks(cfrNow: Double) -> ReportInput {
        var input = KPITrendTests.sixWeeks
        let cfr = input.kpis.firstIndex { $0.id == "cfr" }!
        input.kpis[cfr].warnAt = 12
        let last = input.readings.lastIndex { $0.kpi == "cfr" }!
        input.readings[last].value = cfrNow
        return input
    }

    @Test(arguments: [11.5, 14.9])
    func aGuardrailThatGotWorseIsASideEffectInEveryTier(cfrNow: Double) throws {
        let report = ReportAnalyzer.analyze(Self.sixWeeks(cfrNow: cfrNow))
        let lead = try #require(report.kpis.first { $0.kpi.id == "lead" })
        #expect(lead.guardrails[0].movedWrongWay)
        #expect(lead.verdict == .sideEffect, "11% → \(cfrNow)% is worse, near the ceiling or not")
        #expect(!report.improvements.improvingKPIs.contains { $0.kpi.id == "lead" })
        let english = try renderer.teamReport(report, locale: "en")
        let row = try #require(english.split(separator: "\n").first { $0.hasPrefix("| Lead time (leading) |") })
        #expect(row.hasSuffix("| ⚠️ **side effect** |"), "\(row)")
        if cfrNow == 14.9 {
            #expect(english.contains("Change failure rate 14.9% (was 11%; ceiling 15%) ▁▁▁▁▁█: **near its ceiling** (warning at 12%) and **worsened**"), "\(english)")
            #expect(english.contains("but Change failure rate worsened (11% → 14.9%, near its ceiling). This is not counted as an improvement."))
            let chinese = try renderer.teamReport(report, locale: "zh-Hant")
            #expect(chinese.contains("**接近上限**（警戒 12%）且**變差**"), "\(chinese)")
            #expect(chinese.contains("Change failure rate 變差（11% → 14.9%，接近上限）"))
        }
    }

    @Test func aGuardrailInItsWarningTierThatDidNotWorsenStillHolds() throws {
        var input = Self.sixWeeks(cfrNow: 12.5)
        for index in input.readings.indices where input.readings[index].kpi == "cfr" { input.readings[index].value = 12.5 }
        let lead = try #require(ReportAnalyzer.analyze(input).kpis.first { $0.kpi.id == "lead" })
        #expect(lead.guardrails[0].state == .warning && !lead.guardrails[0].movedWrongWay)
        #expect(lead.verdict == .improving)
    }

    /// A monthly report judges weekly KPIs on the month (a count adds up, an average is the
    /// month's mean), not on the week holding the month's last day; the series stays weekly.
    @Test func aMonthlyReportJudgesEachKPIOnTheMonth() throws {
        var input = KPITrendTests.sixWeeks
        input.period = Period.containing(ReportFixture.at(2), kind: .month, in: ReportFixture.zone)
        input.now = input.period.end.addingTimeInterval(3_600)
        let report = ReportAnalyzer.analyze(input)
        let tickets = try #require(report.kpis.first { $0.kpi.id == "tickets" })
        // Readings on 4, 11 and 18 November; October's on 14, 21 and 28. A weekly count's target
        // is per week, so the month's sum is judged as its rate a week.
        #expect(abs(tickets.current! - (30 + 31 + 36) * 7 / 30.0) < 1e-9 && abs(tickets.previous! - (20 + 24 + 27) * 7 / 31.0) < 1e-9)
        let lead = try #require(report.kpis.first { $0.kpi.id == "lead" })
        #expect(lead.current == (41 + 38 + 26) / 3.0 && lead.previous == (60 + 52 + 47) / 3.0)
        #expect(lead.verdict == .improving && lead.span?.kind == .week && lead.series.count == 6)
        let english = try renderer.teamReport(report, locale: "en")
        #expect(english.contains("| Tickets closed (lagging) | 22.6 tickets a week | 16 tickets a week | 40 tickets a week · not met"), "\(english)")
        // The weekly series ends with the last week inside November (23–29), not the week of the 30th.
        #expect(lead.span.map { LocalDate($0.start, in: ReportFixture.zone) } == LocalDate(year: 2026, month: 11, day: 23))
        let chinese = try renderer.teamReport(report, locale: "zh-Hant")
        #expect(chinese.contains("| Tickets closed（落後指標） | 22.6 tickets／週 | 16 tickets／週 |"), "\(chinese)")
        // The side-effect brake works at this cadence too.
        var breached = input
        breached.readings.append(MetricReading(kpi: "cfr", value: 18, at: ReportFixture.at(10)))
        let side = try #require(ReportAnalyzer.analyze(breached).kpis.first { $0.kpi.id == "lead" })
        #expect(side.verdict == .sideEffect && side.guardrails[0].current == 18)
    }

    @Test func aQuarterlyReportJudgesEachKPIOnTheQuarter() throws {
        var input = KPITrendTests.sixWeeks
        input.period = Period.containing(ReportFixture.at(2), kind: .quarter, in: ReportFixture.zone)
        let lead = try #require(ReportAnalyzer.analyze(input).kpis.first { $0.kpi.id == "lead" })
        #expect(lead.current == (60 + 52 + 47 + 41 + 38 + 26) / 6.0 && lead.previous == nil && lead.verdict == .noData)
    }

    /// A weekly report made on Friday evening: a guardrail's reading dated Saturday has not
    /// happened; the ratio's latest reading is Friday's breach, not the future 1.8.
    @Test func aReadingDatedAfterTheReportDoesNotCount() throws {
        var input = ReportFixture.input
        input.now = ReportFixture.at(4, 20)
        input.readings.append(MetricReading(kpi: "cfr", value: 1.8, at: ReportFixture.at(5, 9)))
        let lead = try #require(ReportAnalyzer.analyze(input).kpis.first { $0.kpi.id == "lead" })
        #expect(lead.guardrails[0].current == 18 && lead.guardrails[0].state == .breached)
        #expect(lead.verdict == .sideEffect)
    }

    @Test func aReadingMoreThanADayAheadIsRefusedAndNothingIsKept() async throws {
        let (context, _) = try exampleContext()
        let admin = Requester.storeOwner(user: "root")
        let now = context.clock.now()
        await #expect(throws: NarrateError.self) {
            try await context.metrics.record("change-failure-rate", value: 1.8, at: now.addingTimeInterval(3 * 86_400), by: admin, origin: .cli)
        }
        let late = "kpi,value,at\nlead-time,20,\(TimeText.iso(now.addingTimeInterval(-86_400), in: .gmt))\nlead-time,21,2099-01-01\n"
        await #expect(throws: NarrateError.self) { try await context.metrics.importCSV(late, file: "late.csv", by: admin) }
        await #expect(try context.store.metricCount() == 0)
        // An hour ahead (a fast clock) is still accepted.
        _ = try await context.metrics.record("lead-time", value: 20, at: now.addingTimeInterval(3_600), by: admin, origin: .cli)
        await #expect(try context.store.metricCount() == 1)
    }

    /// "33% completed" with nothing to compare with, or level with last period, is not an improvement.
    @Test func followThroughIsAnImprovementOnlyWhenItRose() throws {
        var first = ReportFixture.input
        first.entries.removeAll { $0.id == 7 || $0.id == 8 }
        let report = ReportAnalyzer.analyze(first)
        #expect(report.improvements.followThrough.previousRate == nil && report.improvements.followThrough.done == 1)
        #expect(!(try renderer.teamReport(report, locale: "en")).contains("followed through"))
        var rose = ReportFixture.input
        rose.entries = rose.entries.map { entry in
            var entry = entry
            if entry.id == 2 || entry.id == 3 { (entry.state, entry.closedAt) = (.done, ReportFixture.at(3)) }
            return entry
        }
        let better = ReportAnalyzer.analyze(rose)
        #expect(better.improvements.followThrough.rate == 1 && better.improvements.followThrough.previousRate == 0.5)
        #expect(try renderer.teamReport(better, locale: "en").contains("Next actions followed through: 3 done, 0 carried, 0 dropped; 100% completed (last period 50%)"))
    }

    /// Unblocked: what it was and how, in the improvements; the card names its id only.
    @Test func aResolvedBlockerKeepsItsStory() throws {
        let english = try renderer.teamReport(ReportFixture.report, locale: "en")
        #expect(english.contains(
            "- Blocker resolved: B-11 Release waits on manual security approval (Ana Lee; middle stage, open 2 days). How: signed builds are approved automatically now"))
        #expect(english.components(separatedBy: "Release waits on manual security approval").count == 2)
        let chinese = try renderer.teamReport(ReportFixture.report, locale: "zh-Hant")
        #expect(chinese.contains("。解法：signed builds are approved automatically now"))
    }

    /// Every item a reader may act on: its text once, its id wherever it is named.
    @Test func idsGoWithTextAndOwnersAreLabelled() throws {
        var input = ReportFixture.input
        let lead = input.kpis.firstIndex { $0.id == "lead" }!
        input.kpis[lead].owner = "eve"
        var action = ReportFixture.entry(50, "eve", .next, "Add a canary stage to cut failures", ReportFixture.at(1))
        action.kpi = "lead"
        input.entries.append(action)
        let english = try renderer.teamReport(ReportAnalyzer.analyze(input), locale: "en")
        #expect(english.contains("- **B-4** Staging DB too small for load tests: blocks Ben \\*Bold\\* Wu for 17 days at the back stage; needs the manager's help"))
        #expect(english.contains("- B-4 (Ben \\*Bold\\* Wu, open 17 days): escalated, under Asks and decisions"))
        #expect(english.components(separatedBy: "needs the manager's help").count == 3, "once per escalated blocker")
        #expect(english.contains("- **Lead time** improved at a guardrail's expense. Owner: Eve Lin. Next action: N-50."))
        #expect(english.components(separatedBy: "Add a canary stage to cut failures").count == 2)
        #expect(english.contains("- Add a canary stage to cut failures (N-50)"))
        #expect(english.contains("**Open blockers:** B-4, B-20 (under Blockers by stage)"))
    }

    /// Monday morning nobody is missing: check-ins are due at the schedule's Friday slot.
    @Test func nobodyIsMissingBeforeTheCheckInDeadline() async throws {
        let monday = try time("2026-11-23 09:00", "Asia/Taipei")
        let (early, _) = try exampleContext(clock: FixedClock(monday))
        let plan = try await early.pipeline.plan(team: "platform")[0]
        let report = await early.pipeline.analyze(try early.pipeline.gather(plan))
        #expect(report.participation.missing.isEmpty && report.participation.notYet.count == 4)
        #expect(!report.mayNeedHelp.contains { $0.reasons.contains(.missing) })
        let english = try early.renderer.teamReport(report, locale: "en")
        #expect(english.contains("**Not yet, due Fri 27 Nov 17:00:** Alice Chen, Bob Lin, Chen Wei, Dana Hsu"), "\(english)")
        let digest = try early.renderer.managerDigest(report, locale: "zh-Hant")
        #expect(digest.contains("尚未回報（期限 11月27日（五）17:00）：Alice Chen、Bob Lin、Chen Wei、Dana Hsu"), "\(digest)")
        // After the slot the same people are missing.
        let (late, _) = try exampleContext(clock: FixedClock(try time("2026-11-27 17:30", "Asia/Taipei")))
        let after = await late.pipeline.analyze(try late.pipeline.gather(try late.pipeline.plan(team: "platform")[0]))
        #expect(after.participation.missing.count == 4 && after.participation.notYet.isEmpty)
        #expect(try late.renderer.teamReport(after, locale: "en").contains("**No report:** Alice Chen, Bob Lin, Chen Wei, Dana Hsu"))
    }

    /// The articles' SMART and leading/lagging ideas, shown where a KPI is first named.
    @Test func aKPIShowsItsHorizonDueDateAndObjective() throws {
        var input = ReportFixture.input
        let lead = input.kpis.firstIndex { $0.id == "lead" }!
        input.kpis[lead].objective = "Small changes reach users the day they are ready"
        input.kpis[lead].by = LocalDate(year: 2027, month: 3, day: 31)
        let report = ReportAnalyzer.analyze(input)
        let english = try renderer.teamReport(report, locale: "en")
        #expect(english.contains("| Lead time (leading) | 26 h | 38 h | 24 h by 31 Mar 2027 · not met |"), "\(english)")
        #expect(english.contains("**Why these KPIs:** Lead time: Small changes reach users the day they are ready."))
        let chinese = try renderer.teamReport(report, locale: "zh-Hant")
        #expect(chinese.contains("| Lead time（領先指標） | 26 小時 | 38 小時 | 24 小時（2027年3月31日前） · 未達標 |"), "\(chinese)")
        #expect(chinese.contains("**為什麼看這些 KPI**：Lead time：Small changes reach users the day they are ready。"))
    }
}

/// A manager of two teams gets one digest with both teams' KPIs, sent once a cycle.
@Suite struct ManagerDigestTests {
    static let config = exampleConfig(replacing: "targets = [\"terminal\", \"archive\"]", with: "targets = [\"terminal\", \"archive\"]\nmanager_targets = [\"erin-dm\"]") + """

        [[person]]
        id = "frank"
        name = "Frank Ho"

        [[team]]
        id = "support"
        name = "Support"
        members = ["frank"]
        manager = "erin"
        targets = ["terminal"]
        manager_targets = ["erin-dm"]

        [[kpi]]
        id = "first-response"
        team = "support"
        name = "First response time"
        kind = "average"
        unit = "minutes"
        direction = "down"
        target = 30
        horizon = "leading"
        review = "weekly"
        guardrails = ["reopened"]
        objective = "Customers hear back within the half hour"
        by = "2027-06-30"

        [[kpi]]
        id = "reopened"
        team = "support"
        name = "Reopened tickets"
        role = "guardrail"
        kind = "count"
        unit = "tickets"
        direction = "down"
        limit = 20
        review = "weekly"

        [[target]]
        id = "erin-dm"
        kind = "stdout"
        """

    @Test func oneDigestAcrossTheTeamsAManagerHas() async throws {
        let (context, _) = try exampleContext(config: Self.config, clock: FixedClock(try time("2026-11-27 18:00", "Asia/Taipei")))
        let day = { (offset: Double) in try! time("2026-11-27 10:00", "Asia/Taipei").addingTimeInterval(offset * 86_400) }
        try await context.store.record([
            MetricReading(kpi: "first-response", value: 50, at: day(-7)), MetricReading(kpi: "first-response", value: 35, at: day(0)),
            MetricReading(kpi: "reopened", value: 4, at: day(-7)), MetricReading(kpi: "reopened", value: 9, at: day(0)),
            MetricReading(kpi: "lead-time", value: 26, at: day(-7)), MetricReading(kpi: "lead-time", value: 30, at: day(0)),
            MetricReading(kpi: "change-failure-rate", value: 10, at: day(-7)), MetricReading(kpi: "change-failure-rate", value: 9, at: day(0)),
        ])
        let plans = try await context.pipeline.plan()
        let rendered = try await context.pipeline.run(plans).map { $0.map(\.rendered) }
        // Platform's cycle carries the one digest; Support's carries none.
        #expect(rendered[0].map(\.kind) == [.team, .digest] && rendered[1].map(\.kind) == [.team])
        let digest = rendered[0][1].markdown
        #expect(digest.hasPrefix("# Platform, Support · manager digest · "), "\(digest)")
        #expect(digest.contains("This digest is for Erin Wu only."))
        #expect(digest.contains("| Support | 0 of 1 | 0 · 0 · 0 · 0 | First response time |"), "\(digest)")
        #expect(digest.contains("## Support · "))
        #expect(digest.contains("- **First response time** improved at a guardrail's expense: Reopened tickets worsened (4 tickets → 9 tickets)."))
        #expect(digest.contains("- **PR lead time** is getting worse (26 hours → 30 hours). Owner: Alice Chen."), "\(digest)")
        #expect(digest.components(separatedBy: "### Who may need help").count == 3, "once per team")
        let chinese = try await context.pipeline.render(
            context.pipeline.analyze(try context.pipeline.gather(plans[0])),
            plan: { var plan = plans[0]; plan.locale = "zh-Hant"; return plan }(), messages: .digest)[0].markdown
        #expect(chinese.contains("這份摘要只給Erin Wu。") || chinese.contains("這份摘要只給 Erin Wu。"), "\(chinese)")
        #expect(chinese.contains("## 各團隊一覽"))
    }

    @Test func aManagerWithOtherTargetsPerTeamGetsADigestPerTeam() async throws {
        let config = Self.config.replacingOccurrences(
            of: "targets = [\"terminal\"]\nmanager_targets = [\"erin-dm\"]", with: "targets = [\"terminal\"]\nmanager_targets = [\"terminal\"]")
        let (context, _) = try exampleContext(config: config)
        let rendered = try await context.pipeline.run(try context.pipeline.plan()).map { $0.map(\.rendered) }
        #expect(rendered[0].map(\.kind) == [.team, .digest] && rendered[1].map(\.kind) == [.team, .digest])
        #expect(rendered[1][1].markdown.hasPrefix("# Support · manager digest"))
    }
}

/// Nine weeks of readings for every KPI and guardrail of the example config: each report cadence
/// shows each one's value, the one before and a trend.
@Suite struct NineWeeksTests {
    static func context() async throws -> AppContext {
        let now = try time("2026-11-27 18:00", "Asia/Taipei")
        let (context, _) = try exampleContext(clock: FixedClock(now))
        var readings: [MetricReading] = []
        for week in 0..<9 {
            let at = now.addingTimeInterval(-Double(8 - week) * 7 * 86_400 - 3_600)
            readings += [
                MetricReading(kpi: "lead-time", value: 40 - Double(week) * 2, at: at),
                MetricReading(kpi: "deploy-frequency", value: 5 + Double(week % 3), at: at),
                MetricReading(kpi: "change-failure-rate", value: 8 + Double(week % 4), at: at),
                MetricReading(kpi: "incident-minutes", value: 60 - Double(week) * 3, at: at),
            ]
        }
        try await context.store.record(readings)
        return context
    }

    @Test(arguments: [Period.Kind.week, .month, .quarter])
    func everyKPIAndGuardrailHasATrendAtEveryCadence(kind: Period.Kind) async throws {
        let context = try await Self.context()
        let plan = try await context.pipeline.plan(team: "platform", period: kind)[0]
        let report = await context.pipeline.analyze(try context.pipeline.gather(plan))
        for status in report.kpis {
            #expect(status.current != nil, "\(kind) \(status.kpi.id) this period")
            #expect(status.series.compactMap { $0 }.count >= 3, "\(kind) \(status.kpi.id): \(status.series)")
            for guardrail in status.guardrails {
                #expect(guardrail.current != nil && guardrail.series.compactMap { $0 }.count >= 3, "\(kind) \(guardrail.kpi.id): \(guardrail.series)")
            }
        }
        if kind != .quarter {
            #expect(report.kpis.allSatisfy { $0.previous != nil }, "the \(kind) before has readings too")
        }
        let markdown = try context.renderer.teamReport(report, locale: "en")
        let rows = markdown.split(separator: "\n").filter { $0.hasPrefix("| PR lead time") || $0.hasPrefix("| Deploys per week") }
        #expect(rows.count == 2)
        for row in rows {
            #expect(row.split(separator: "|").count == 7)
            // A sparkline for the KPI and one for its guardrail.
            #expect(row.filter { "▁▂▃▄▅▆▇█".contains($0) }.count >= 6, "\(row)")
        }
    }
}
