import NarrateModel
import Foundation

/// Turns a ``ReportInput`` into a ``Report``. Pure and deterministic: no clock, no I/O.
public enum ReportAnalyzer {
    public static func analyze(_ input: ReportInput) -> Report {
        let period = input.period
        let asOf = min(input.now, period.end)
        let members = Dictionary(input.members.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
        // Each blocker and next action as it stood at `asOf`: one closed later is still open here.
        let entries = input.entries.filter { members[$0.person] != nil }.map { $0.asOf(asOf) }
        let inPeriod = entries.filter { period.contains($0.at) }
        let followUps = outcomes(entries, in: period, asOf: asOf)
        let kpis = KPIAnalysis.statuses(
            team: input.team, kpis: input.kpis, readings: input.readings, period: period, asOf: asOf)

        // Grouped once, in order: filtering the team's entries again for every member and kind
        // copied every entry it looked at.
        let ownByPerson = Dictionary(grouping: inPeriod, by: \.person)
        let followUpsByPerson = Dictionary(grouping: followUps, by: \.entry.person)
        var people = input.members.map { person in
            let own = Dictionary(grouping: ownByPerson[person.id] ?? [], by: \.kind)
            var narrative = PersonNarrative(
                person: person,
                progress: own[.progress] ?? [],
                blockers: own[.blocker] ?? [],
                next: own[.next] ?? [],
                learned: own[.learned] ?? [],
                followUps: followUpsByPerson[person.id] ?? [],
                isAway: isAway(person, input.absences, period))
            narrative.helped = own[.helped] ?? []
            return narrative
        }

        let previousFollowUps = outcomes(entries, in: period.previous, asOf: period.start)
        let resolvedBlockers = resolved(entries, in: period).compactMap { entry in
            members[entry.person].map {
                ResolvedBlocker(entry: entry, owner: $0, openFor: entry.closedAt!.timeIntervalSince(entry.at))
            }
        }
        let previousDone = previousFollowUps.filter { $0.outcome == .done }.count
        let followThrough = FollowThrough(
            done: followUps.filter { $0.outcome == .done }.count,
            carried: followUps.filter { $0.outcome == .carried }.count,
            dropped: followUps.filter { $0.outcome == .dropped }.count,
            previousRate: previousFollowUps.isEmpty ? nil : Double(previousDone) / Double(previousFollowUps.count))
        let wins = inPeriod.filter { $0.kind == .win }.compactMap { entry in
            members[entry.person].map { AttributedEntry(person: $0, entry: entry) }
        }
        let improvements = Improvements(
            resolvedBlockers: resolvedBlockers, followThrough: followThrough,
            improvingKPIs: kpis.filter { $0.verdict == .improving }, fasterUnblocking: fasterUnblocking(entries, period),
            wins: wins)

        let openBlockers = entries.filter { $0.kind == .blocker && $0.at < asOf && ($0.closedAt.map { $0 >= asOf } ?? true) }
            .compactMap { entry -> OpenBlocker? in
                guard let owner = members[entry.person] else { return nil }
                let age = asOf.timeIntervalSince(entry.at)
                return OpenBlocker(entry: entry, owner: owner, age: age, needsAttention: age >= TimeInterval(input.team.escalateAfter))
            }
            .sorted { ($0.age, $1.entry.id) > ($1.age, $0.entry.id) }
        let openByPerson = Dictionary(grouping: openBlockers.map(\.entry), by: \.person)
        for index in people.indices {
            people[index].openBlockers = (openByPerson[people[index].person.id] ?? []).sorted { $0.id < $1.id }
        }

        let latestMoods = latestMood(input.moods.filter { period.contains($0.at) && members[$0.person] != nil })
        let spans = period.kind == .sinceLast ? [period] : KPIAnalysis.series(period)
        let moodsBySpan = spans.map { span in latestMood(input.moods.filter { span.contains($0.at) && members[$0.person] != nil }) }
        let moodByPerson = input.members.compactMap { person in
            latestMoods[person.id].map {
                var entry = PersonMood(person: person, mood: $0.mood, load: $0.load)
                entry.moodSeries = moodsBySpan.map { $0[person.id].map { Double($0.mood) } }
                entry.loadSeries = moodsBySpan.map { $0[person.id]?.load.map(Double.init) }
                return entry
            }
        }

        var attendance = participation(input.members, inPeriod, input.absences, period)
        // Before the deadline nobody is missing yet: Monday's preview calls nobody absent.
        if let deadline = input.deadline, asOf < deadline {
            (attendance.notYet, attendance.missing, attendance.dueBy) = (attendance.missing, [], deadline)
        }
        var report = Report(
            team: input.team, period: period, asOf: asOf,
            participation: attendance,
            kpis: kpis, improvements: improvements, openBlockers: openBlockers, people: people,
            mood: moodSummary(moodByPerson), moodByPerson: moodByPerson,
            learnings: inPeriod.filter { $0.kind == .learned }.compactMap { entry in
                members[entry.person].map { AttributedEntry(person: $0, entry: entry) }
            })
        func attributed(_ kind: Entry.Kind) -> [AttributedEntry] {
            inPeriod.filter { $0.kind == kind }.compactMap { entry in members[entry.person].map { AttributedEntry(person: $0, entry: entry) } }
        }
        report.asks = attributed(.ask)
        report.decisions = attributed(.decision)
        // Only the KPIs' owners are looked up: the directory is everyone in the config.
        let owners = Set(kpis.compactMap(\.kpi.owner))
        let directory = owners.isEmpty ? [:] : Dictionary(
            (input.directory ?? input.members).filter { owners.contains($0.id) }.map { ($0.id, $0) },
            uniquingKeysWith: { first, _ in first })
        report.kpiAsks = kpis.filter { status in
            switch status.verdict {
            case .sideEffect, .worsening: true
            case .unchanged, .unguarded: status.kpi.target != nil && !status.onTarget
            case .improving, .noData: false
            }
        }.map { status in
            KPIAsk(
                status: status, owner: status.kpi.owner.flatMap { directory[$0] },
                actions: entries.filter { $0.kind == .next && $0.kpi == status.kpi.id && $0.state == .open && $0.at < asOf })
        }
        report.helpers = input.members.filter { person in ownByPerson[person.id]?.contains { $0.kind == .helped } ?? false }
        report.mayNeedHelp = helpSignals(report, followUps: followUps)
        return report
    }

    /// Members with at least two signals at once: a high load, a mood well below the team's,
    /// a blocker past the escalation age, a next action carried for a third period, no report.
    static func helpSignals(_ report: Report, followUps: [PersonNarrative.FollowUp]) -> [HelpSignal] {
        let teamMood = report.moodByPerson.isEmpty ? nil : Double(report.moodByPerson.map(\.mood).reduce(0, +)) / Double(report.moodByPerson.count)
        return report.people.compactMap { narrative in
            let person = narrative.person
            var reasons: [HelpSignal.Reason] = []
            let mood = report.moodByPerson.first { $0.person.id == person.id }
            if (mood?.load ?? 0) >= 4 { reasons.append(.highLoad) }
            // A drop against the person's own recent answers; without two of them, against the team's.
            let earlier = (mood?.moodSeries.dropLast() ?? []).compactMap { $0 }
            if let mood {
                let reference = earlier.count >= 2 ? earlier.reduce(0, +) / Double(earlier.count) : teamMood
                if let reference, Double(mood.mood) <= reference - 1 { reasons.append(.lowMood) }
            }
            if report.openBlockers.contains(where: { $0.owner.id == person.id && $0.needsAttention }) { reasons.append(.longBlocker) }
            if followUps.contains(where: { $0.entry.person == person.id && $0.outcome == .carried && $0.periods >= 2 }) { reasons.append(.carriedActions) }
            if report.participation.missing.contains(where: { $0.id == person.id }) { reasons.append(.missing) }
            return reasons.count >= 2 ? HelpSignal(person: person, reasons: reasons) : nil
        }
    }

    /// Next actions open when `period` began and what became of them by `asOf`.
    static func outcomes(_ entries: [Entry], in period: Period, asOf: Date) -> [PersonNarrative.FollowUp] {
        entries.filter { $0.kind == .next && $0.at < period.start && ($0.closedAt.map { $0 >= period.start } ?? true) }
            .map { entry in
                let closedInPeriod = entry.closedAt.map { $0 < min(asOf, period.end) } ?? false
                let outcome: PersonNarrative.Outcome =
                    !closedInPeriod ? .carried : entry.state == .done ? .done : entry.state == .dropped ? .dropped : .carried
                var followUp = PersonNarrative.FollowUp(entry: entry, outcome: outcome)
                // Period starts it was open across: the carried count readers see.
                let length = max(3_600, period.end.timeIntervalSince(period.start))
                followUp.periods = Int(period.start.timeIntervalSince(entry.at) / length) + 1
                return followUp
            }
    }

    static func resolved(_ entries: [Entry], in period: Period) -> [Entry] {
        entries.filter { $0.kind == .blocker && $0.state == .resolved && ($0.closedAt.map(period.contains) ?? false) }
    }

    /// Blockers clear faster: this period's median time-to-resolve is below that of the previous four periods.
    static func fasterUnblocking(_ entries: [Entry], _ period: Period) -> FasterUnblocking? {
        let (_, previous) = ReportInput.lookback(period)
        // The resolved blockers first, once: five periods looked at every entry.
        let blockers = entries.filter { $0.kind == .blocker && $0.state == .resolved }
        let now = resolved(blockers, in: period).map { $0.closedAt!.timeIntervalSince($0.at) }
        let before = previous.flatMap { resolved(blockers, in: $0) }.map { $0.closedAt!.timeIntervalSince($0.at) }
        guard let median = medianOf(now), let previousMedian = medianOf(before), median < previousMedian else { return nil }
        return FasterUnblocking(median: median, previousMedian: previousMedian)
    }

    static func medianOf(_ values: [Double]) -> Double? {
        guard !values.isEmpty else { return nil }
        let sorted = values.sorted()
        let middle = sorted.count / 2
        return sorted.count % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2
    }

    static func isAway(_ person: Person, _ absences: [Absence], _ period: Period) -> Bool {
        guard let (first, last) = period.firstAndLastDay else { return false }
        // Covers one of the period's days: overlaps its first to last day.
        return absences.contains { $0.person == person.id && $0.from <= $0.to && $0.from <= last && first <= $0.to }
    }

    /// Members with an entry this period reported; the others are away (with an absence in the
    /// period) or missing. Order is the team's member order, never a ranking.
    static func participation(_ members: [Person], _ inPeriod: [Entry], _ absences: [Absence], _ period: Period)
        -> Participation
    {
        let reporters = Set(inPeriod.map(\.person))
        var result = Participation(reported: [], away: [], missing: [])
        for person in members {
            if reporters.contains(person.id) {
                result.reported.append(person)
            } else if isAway(person, absences, period) {
                result.away.append(person)
            } else {
                result.missing.append(person)
            }
        }
        return result
    }

    static func latestMood(_ moods: [MoodCheckIn]) -> [String: MoodCheckIn] {
        var latest: [String: MoodCheckIn] = [:]
        for mood in moods.sorted(by: { ($0.at, $0.id) < ($1.at, $1.id) }) { latest[mood.person] = mood }
        return latest
    }

    /// Each aggregate only when at least ``MoodSummary/minimumAnswers`` people answered that
    /// question: with three moods and one load, the load would be one person's answer.
    static func moodSummary(_ moods: [PersonMood]) -> MoodSummary? {
        guard moods.count >= MoodSummary.minimumAnswers else { return nil }
        let loads = moods.compactMap(\.load)
        let enoughLoads = loads.count >= MoodSummary.minimumAnswers
        return MoodSummary(
            answered: moods.count, averageMood: Double(moods.map(\.mood).reduce(0, +)) / Double(moods.count),
            averageLoad: enoughLoads ? Double(loads.reduce(0, +)) / Double(loads.count) : nil,
            highLoad: enoughLoads ? loads.filter { $0 >= 4 }.count : nil)
    }
}
