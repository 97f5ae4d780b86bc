import NarrateModel
import Foundation

/// The values the report templates see. Every piece of user text is escaped here, so
/// templates only arrange words; they never need to escape anything.
struct ReportContext {
    let report: Report
    let format: LocaleFormat

    typealias Values = [String: Any]

    var card: CardContext { CardContext(format: format) }

    func name(_ person: Person) -> String { card.name(person) }

    func stage(_ stage: Entry.Stage?) -> Values { card.stage(stage) }

    func person(_ narrative: PersonNarrative) -> Values { card.person(narrative) }

    func names(_ people: [Person]) -> String { format.list(people.map(name)) }

    var values: Values {
        let participation = report.participation
        return [
            "team": MarkdownText.escape(report.team.name),
            "asks": report.asks.map(attributed), "decisions": report.decisions.map(attributed),
            "kpiAsks": report.kpiAsks.map(kpiAsk), "escalated": report.openBlockers.filter(\.needsAttention).map(blocker),
            "hasAsks": !report.asks.isEmpty || !report.decisions.isEmpty || !report.kpiAsks.isEmpty
                || report.openBlockers.contains(where: \.needsAttention),
            "thanks": names(report.helpers), "hasThanks": !report.helpers.isEmpty,
            "teamPage": report.teamPage ?? "", "hasTeamPage": report.teamPage != nil,
            "mayNeedHelp": report.mayNeedHelp.map(helpSignal), "hasMayNeedHelp": !report.mayNeedHelp.isEmpty,
            "sourceNotes": report.sourceNotes.map { ["text": MarkdownText.escape($0)] }, "hasSourceNotes": !report.sourceNotes.isEmpty,
            "period": format.period(report.period),
            "isDay": report.period.kind == .day, "isWeek": report.period.kind == .week,
            "isMonth": report.period.kind == .month, "isQuarter": report.period.kind == .quarter,
            "isSinceLast": report.period.kind == .sinceLast,
            "reported": names(participation.reported), "hasReported": !participation.reported.isEmpty,
            "away": names(participation.away), "hasAway": !participation.away.isEmpty,
            "missing": names(participation.missing), "hasMissing": !participation.missing.isEmpty,
            "notYet": names(participation.notYet), "hasNotYet": !participation.notYet.isEmpty,
            "dueBy": participation.dueBy.map { format.moment($0, in: report.period.timeZone) } ?? "",
            "kpis": report.kpis.map(kpi), "hasKPIs": !report.kpis.isEmpty,
            // Why each KPI matters (SMART: relevant), where the KPIs are first named.
            "objectives": report.kpis.compactMap { status -> Values? in
                status.kpi.objective.map {
                    ["name": MarkdownText.escape(status.kpi.name(in: format.locale)), "objective": MarkdownText.escape($0)]
                }
            },
            "hasObjectives": report.kpis.contains { $0.kpi.objective != nil },
            "sideEffects": report.kpis.filter { $0.verdict == .sideEffect }.map(kpi),
            "hasSideEffects": report.kpis.contains { $0.verdict == .sideEffect },
            "improvements": improvements,
            "stages": stages, "hasBlockers": !report.openBlockers.isEmpty,
            "escalateAfter": format.duration(TimeInterval(report.team.escalateAfter)),
            "people": report.people.filter { !$0.isEmpty }.map(person),
            "hasPeople": report.people.contains { !$0.isEmpty },
            "mood": report.mood.map(mood) as Any, "hasMood": report.mood != nil,
            "learnings": report.learnings.map(attributed), "hasLearnings": !report.learnings.isEmpty,
            "moodByPerson": report.moodByPerson.map { entry -> Values in
                ["name": name(entry.person), "mood": entry.mood, "load": entry.load.map(String.init) ?? "–",
                 "moodTrend": Self.sparkline(entry.moodSeries), "loadTrend": Self.sparkline(entry.loadSeries),
                 "hasTrend": entry.moodSeries.compactMap { $0 }.count >= 2]
            },
            "hasMoodByPerson": !report.moodByPerson.isEmpty,
            "attention": report.openBlockers.filter(\.needsAttention).map(blocker),
            "hasAttention": report.openBlockers.contains(where: \.needsAttention),
        ]
    }

    /// A team's line in a digest across teams: participation, open blockers by stage.
    var digestSummary: Values {
        let participation = report.participation
        let members = participation.reported.count + participation.away.count + participation.missing.count + participation.notYet.count
        let stages: [Entry.Stage?] = [.front, .middle, .back, nil]
        return [
            "reportedCount": participation.reported.count, "memberCount": members, "awayCount": participation.away.count,
            "blockerCounts": stages.map { stage in String(report.openBlockers.filter { $0.entry.stage == stage }.count) }
                .joined(separator: " · "),
        ]
    }

    func value(_ number: Double?, _ kpi: KPI) -> String {
        guard let number else { return "–" }
        // A change is a difference: signed, and a change of a percentage is in points.
        if kpi.kind == .change {
            let sign = number > 0 ? "+" : ""
            let unit = kpi.unit(in: format.locale).map { $0 == "%" ? " pp" : " \(MarkdownText.escape($0))" } ?? ""
            return sign + format.number(number) + unit
        }
        let unit = kpi.unit(in: format.locale).map { $0 == "%" ? "%" : " \(MarkdownText.escape($0))" } ?? ""
        return format.number(number) + unit + rate(kpi)
    }

    /// " a week" (「／週」) after a count judged as a rate per its cadence, else nothing.
    func rate(_ kpi: KPI) -> String {
        guard KPIAnalysis.isRate(kpi, in: report.period), let cadence = kpi.reviewPeriod else { return "" }
        let words: [Period.Kind: (String, String)] = [
            .day: (" a day", "／日"), .week: (" a week", "／週"), .month: (" a month", "／月"), .quarter: (" a quarter", "／季"),
        ]
        return words[cadence].map { format.isChinese ? $0.1 : $0.0 } ?? ""
    }

    /// How much of a higher-is-better target is reached, where a share means something.
    func shareOfTarget(_ status: KPIStatus) -> String? {
        guard let current = status.current, let target = status.kpi.target, target > 0, current >= 0,
            status.kpi.direction != .down, status.kpi.kind != .change
        else { return nil }
        return format.percent(current / target)
    }

    func kpi(_ status: KPIStatus) -> Values {
        let kpi = status.kpi
        // The arrow says which way the number went; the word, whether that is better or worse
        // in this KPI's own direction.
        var trend = "–"
        if let current = status.current, let previous = status.previous {
            let arrow = current > previous ? "↑" : current < previous ? "↓" : "→"
            let better = kpi.isBetter(current, than: previous), worse = kpi.isBetter(previous, than: current)
            let word = better ? (format.isChinese ? "變好" : "better") : worse ? (format.isChinese ? "變差" : "worse") : ""
            trend = word.isEmpty ? arrow : "\(arrow) \(word)"
        }
        return [
            "name": MarkdownText.escape(kpi.name(in: format.locale)), "current": value(status.current, kpi),
            "previous": value(status.previous, kpi), "target": value(kpi.target, kpi), "trend": trend,
            "onTarget": status.onTarget, "hasTarget": kpi.target != nil && status.current != nil,
            "share": shareOfTarget(status) ?? "", "hasShare": shareOfTarget(status) != nil && !status.onTarget,
            "sparkline": Self.sparkline(status.series), "hasSparkline": status.series.compactMap { $0 }.count >= 3,
            "drives": format.list(kpi.drives.compactMap { id in report.kpis.first { $0.kpi.id == id }?.kpi.name(in: format.locale) ?? id }.map(MarkdownText.escape)),
            "hasDrives": !kpi.drives.isEmpty,
            "hasHorizon": kpi.horizon != nil, "leading": kpi.horizon == .leading, "lagging": kpi.horizon == .lagging,
            "by": kpi.by.map(format.day) ?? "", "hasBy": kpi.by != nil,
            "improving": status.verdict == .improving, "sideEffect": status.verdict == .sideEffect,
            "unguarded": status.verdict == .unguarded, "worsening": status.verdict == .worsening,
            "unchanged": status.verdict == .unchanged, "noData": status.verdict == .noData,
            "guardrails": status.guardrails.map { guardrail -> Values in
                [
                    "name": MarkdownText.escape(guardrail.kpi.name(in: format.locale)), "current": value(guardrail.current, guardrail.kpi),
                    "previous": value(guardrail.previous, guardrail.kpi), "limit": value(guardrail.kpi.limit, guardrail.kpi),
                    "hasLimit": guardrail.kpi.limit != nil, "isFloor": guardrail.kpi.direction == .up,
                    "holding": guardrail.state == .holding, "breached": guardrail.state == .breached,
                    "worsened": guardrail.state == .worsened, "noData": guardrail.state == .noData,
                    "warning": guardrail.state == .warning, "warnAt": value(guardrail.kpi.warnAt, guardrail.kpi),
                    "worseToo": guardrail.state == .warning && guardrail.movedWrongWay,
                    "hasPrevious": guardrail.previous != nil,
                    "sparkline": Self.sparkline(guardrail.series), "hasSparkline": guardrail.series.compactMap { $0 }.count >= 3,
                ]
            },
            "troubled": status.guardrails.filter(\.isTroubled).map { guardrail -> Values in
                ["name": MarkdownText.escape(guardrail.kpi.name(in: format.locale)), "breached": guardrail.state == .breached,
                 "warning": guardrail.state == .warning,
                 "isFloor": guardrail.kpi.direction == .up,
                 "current": value(guardrail.current, guardrail.kpi), "limit": value(guardrail.kpi.limit, guardrail.kpi),
                 "previous": value(guardrail.previous, guardrail.kpi)]
            },
        ]
    }

    /// Six periods as block characters, lowest to highest; "·" where a period has no reading.
    static func sparkline(_ series: [Double?]) -> String {
        let values = series.compactMap { $0 }
        guard let low = values.min(), let high = values.max() else { return "" }
        let blocks = Array("▁▂▃▄▅▆▇█")
        return String(series.map { value -> Character in
            guard let value else { return "·" }
            guard high > low else { return blocks[3] }
            return blocks[Int(((value - low) / (high - low) * Double(blocks.count - 1)).rounded())]
        })
    }

    func kpiAsk(_ ask: KPIAsk) -> Values {
        kpi(ask.status).merging([
            "owner": ask.owner.map(name) ?? "", "hasOwner": ask.owner != nil,
            "offTarget": ask.status.verdict != .sideEffect && ask.status.verdict != .worsening,
            // Ids only: each action's text is on its owner's card.
            "actions": ask.actions.map { ["id": $0.displayID] }, "hasActions": !ask.actions.isEmpty,
            "hasOneAction": ask.actions.count == 1,
        ]) { $1 }
    }

    func helpSignal(_ signal: HelpSignal) -> Values {
        let words: [HelpSignal.Reason: (String, String)] = [
            .highLoad: ("load 4 or 5", "負荷 4 以上"), .lowMood: ("mood well below the team's", "心情明顯低於團隊"),
            .longBlocker: ("a blocker past the escalation age", "卡關超過逾期期限"),
            .carriedActions: ("next actions carried again and again", "接下來的行動一再順延"), .missing: ("no report this period", "本期未回報"),
        ]
        let reasons = signal.reasons.compactMap { words[$0].map { format.isChinese ? $0.1 : $0.0 } }
        return ["name": name(signal.person), "reasons": format.list(reasons)]
    }

    /// Shown only when it rose against the previous period: a rate with nothing to compare
    /// with, the same or a falling one is not a small improvement.
    var showFollowThrough: Bool {
        let follow = report.improvements.followThrough
        guard let rate = follow.rate, let previous = follow.previousRate else { return false }
        return rate > previous
    }

    var improvements: Values {
        let improvements = report.improvements
        let follow = improvements.followThrough
        return [
            // The KPI table already says which KPIs improve: they are not listed again here.
            "hasAny": !improvements.resolvedBlockers.isEmpty || showFollowThrough || improvements.fasterUnblocking != nil
                || !improvements.wins.isEmpty,
            "showFollowThrough": showFollowThrough,
            "resolved": improvements.resolvedBlockers.map { resolved -> Values in
                stage(resolved.entry.stage).merging([
                    "text": MarkdownText.escape(resolved.entry.text), "owner": name(resolved.owner),
                    "openFor": format.duration(resolved.openFor), "id": resolved.entry.displayID,
                    "note": MarkdownText.escape(resolved.entry.note ?? ""), "hasNote": !(resolved.entry.note ?? "").isEmpty,
                ]) { $1 }
            },
            "hasFollowThrough": follow.total > 0,
            "done": follow.done, "carried": follow.carried, "dropped": follow.dropped,
            "rate": follow.rate.map(format.percent) ?? "–",
            "hasPreviousRate": follow.previousRate != nil,
            "previousRate": follow.previousRate.map(format.percent) ?? "–",
            "rateUp": (follow.rate ?? 0) > (follow.previousRate ?? 1),
            "improvingKPIs": improvements.improvingKPIs.map(kpi),
            "faster": improvements.fasterUnblocking.map { faster -> Values in
                ["median": format.duration(faster.median), "previousMedian": format.duration(faster.previousMedian)]
            } as Any,
            "hasFaster": improvements.fasterUnblocking != nil,
            "wins": improvements.wins.map(attributed), "hasWins": !improvements.wins.isEmpty,
        ]
    }

    var stages: [Values] {
        let order: [Entry.Stage?] = [.front, .middle, .back, nil]
        return order.compactMap { stage in
            let blockers = report.openBlockers.filter { $0.entry.stage == stage }
            guard !blockers.isEmpty else { return nil }
            return self.stage(stage).merging(["blockers": blockers.map(blocker), "count": blockers.count]) { $1 }
        }
    }

    func blocker(_ blocker: OpenBlocker) -> Values {
        stage(blocker.entry.stage).merging([
            "id": blocker.entry.displayID, "text": MarkdownText.escape(blocker.entry.text), "owner": name(blocker.owner),
            "age": format.duration(blocker.age), "needsAttention": blocker.needsAttention,
        ]) { $1 }
    }

    func attributed(_ item: AttributedEntry) -> Values {
        ["text": MarkdownText.escape(item.entry.text), "owner": name(item.person), "id": item.entry.displayID]
    }

    func mood(_ summary: MoodSummary) -> Values {
        [
            "answered": summary.answered, "mood": format.number(summary.averageMood),
            "load": summary.averageLoad.map(format.number) ?? "–", "hasLoad": summary.averageLoad != nil,
            "highLoad": summary.highLoad ?? 0, "hasHighLoad": (summary.highLoad ?? 0) > 0,
        ]
    }
}
