import Foundation

extension Workspace {
    /// Reads everything a team's report for `period` needs from the store.
    public func gather(team: Team, period: Period, now: Date = Date()) throws -> ReportInput {
        let members = team.members.compactMap(config.person)
        let (lookbackStart, _) = ReportInput.lookback(period)
        var entries = try store.entries(from: lookbackStart, to: period.end, persons: team.members)
        let known = Set(entries.map(\.id))
        entries += try store.followedEntries(openDuring: lookbackStart, period.end, persons: team.members)
            .filter { !known.contains($0.id) }
        entries.sort { ($0.at, $0.id) < ($1.at, $1.id) }
        let days = period.days
        let kpiIDs = config.kpis.filter { $0.team == team.id }.flatMap { [$0.id] + $0.guardrails }
        return ReportInput(
            team: team, members: members, kpis: config.kpis, period: period, now: now, entries: entries,
            absences: try store.absences(overlapping: days.first!, days.last!).filter { team.members.contains($0.person) },
            moods: try store.moods(from: period.start, to: period.end),
            readings: try store.readings(kpis: Array(Set(kpiIDs)), from: period.previous.start, to: period.end))
    }
}
