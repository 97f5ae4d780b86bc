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
            "sourceNotes": report.sourceNotes.map { ["text": MarkdownText.escape($0)] }, "hasSourceNotes": !report.sourceNotes.isEmpty,
            "period": format.period(report.period),
            "isDay": report.period.kind == .day, "isWeek": report.period.kind == .week,
            "isMonth": report.period.kind == .month, "isQuarter": report.period.kind == .quarter,
            "isSinceLast": report.period.kind == .sinceLast,
            "reported": names(participation.reported), "hasReported": !participation.reported.isEmpty,
            "away": names(participation.away), "hasAway": !participation.away.isEmpty,
            "missing": names(participation.missing), "hasMissing": !participation.missing.isEmpty,
            "kpis": report.kpis.map(kpi), "hasKPIs": !report.kpis.isEmpty,
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
                ["name": name(entry.person), "mood": entry.mood, "load": entry.load.map(String.init) ?? "–"]
            },
            "hasMoodByPerson": !report.moodByPerson.isEmpty,
            "attention": report.openBlockers.filter(\.needsAttention).map(blocker),
            "hasAttention": report.openBlockers.contains(where: \.needsAttention),
        ]
    }

    func value(_ number: Double?, _ kpi: KPI) -> String {
        guard let number else { return "–" }
        let unit = kpi.unit.map { $0 == "%" ? "%" : " \(MarkdownText.escape($0))" } ?? ""
        return format.number(number) + unit
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
            "name": MarkdownText.escape(kpi.name), "current": value(status.current, kpi),
            "previous": value(status.previous, kpi), "target": value(kpi.target, kpi), "trend": trend,
            "onTarget": status.onTarget,
            "improving": status.verdict == .improving, "sideEffect": status.verdict == .sideEffect,
            "unguarded": status.verdict == .unguarded, "worsening": status.verdict == .worsening,
            "unchanged": status.verdict == .unchanged, "noData": status.verdict == .noData,
            "guardrails": status.guardrails.map { guardrail -> Values in
                [
                    "name": MarkdownText.escape(guardrail.kpi.name), "current": value(guardrail.current, guardrail.kpi),
                    "previous": value(guardrail.previous, guardrail.kpi), "limit": value(guardrail.kpi.limit, guardrail.kpi),
                    "hasLimit": guardrail.kpi.limit != nil, "isFloor": guardrail.kpi.direction == .up,
                    "holding": guardrail.state == .holding, "breached": guardrail.state == .breached,
                    "worsened": guardrail.state == .worsened, "noData": guardrail.state == .noData,
                ]
            },
            "troubled": status.guardrails.filter { $0.state == .breached || $0.state == .worsened }.map { guardrail -> Values in
                ["name": MarkdownText.escape(guardrail.kpi.name), "breached": guardrail.state == .breached,
                 "isFloor": guardrail.kpi.direction == .up,
                 "current": value(guardrail.current, guardrail.kpi), "limit": value(guardrail.kpi.limit, guardrail.kpi),
                 "previous": value(guardrail.previous, guardrail.kpi)]
            },
        ]
    }

    var improvements: Values {
        let improvements = report.improvements
        let follow = improvements.followThrough
        return [
            "hasAny": !improvements.isEmpty,
            "resolved": improvements.resolvedBlockers.map { resolved -> Values in
                stage(resolved.entry.stage).merging([
                    "text": MarkdownText.escape(resolved.entry.text), "owner": name(resolved.owner),
                    "openFor": format.duration(resolved.openFor), "id": resolved.entry.displayID,
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
