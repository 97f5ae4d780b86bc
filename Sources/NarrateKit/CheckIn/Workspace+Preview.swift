import Foundation

extension Workspace {
    /// The teams a command acts on: one by id, or all.
    func selectedTeams(_ id: String?) throws -> [Team] {
        if let id { return [try config.requireTeam(id)] }
        guard !config.teams.isEmpty else { throw NarrateError("the config defines no team") }
        return config.teams
    }

    /// The period a report covers: the explicit kind, else the team's first schedule's, else a week.
    func period(for team: Team, kind: Period.Kind?, at: String?, now: Date) throws -> Period {
        let zone = config.zone(of: team)
        let instant = try at.map { try TimeText.parse($0, zone: zone, now: now) } ?? now
        let scheduled = config.schedules.first { $0.team == team.id }?.period
        var chosen = kind ?? scheduled ?? .week
        if chosen == .sinceLast { chosen = .week }
        return Period.containing(instant, kind: chosen, in: zone)
    }

    /// The reports `narrate preview` prints; nothing is sent or recorded.
    public func preview(team: String?, period kind: Period.Kind?, at: String?, now: Date = Date()) async throws
        -> [String]
    {
        var reports: [String] = []
        for team in try selectedTeams(team) {
            let period = try period(for: team, kind: kind, at: at, now: now)
            reports.append(try report(team: team, period: period))
        }
        return reports
    }

    func report(team: Team, period: Period) throws -> String {
        let entries = try store.entries(from: period.start, to: period.end, persons: team.members)
        return NarrativeList.render(team: team, period: period, entries: entries, config: config)
    }

    /// Fills the store with the demo week (once), then renders and archives its report.
    public func demo(team teamID: String, now: Date = Date()) async throws -> (report: String, file: String) {
        let team = try config.requireTeam(teamID)
        let week: Period
        if try store.entryCount() == 0 {
            week = try DemoWeek.seed(self, team: team.id, now: now)
            logger.notice("recorded a demo week for \(team.id) in \(store.path)")
        } else {
            week = DemoWeek.week(before: now, in: config.zone(of: team))
        }
        let report = try report(team: team, period: week)
        let pattern = team.targets.compactMap(config.target).first { $0.kind == .file }?.settings["path"]
            ?? "reports/{team}-{date}.md"
        let file = archivePath(pattern, team: team, schedule: "demo", period: week)
        try AtomicFile.write(report + "\n", to: file)
        return (report, file)
    }

    /// Expands `{team}`, `{date}` (the period's last day) and `{schedule}`; relative paths are under the state dir.
    func archivePath(_ pattern: String, team: Team, schedule: String, period: Period) -> String {
        let last = LocalDate(period.end.addingTimeInterval(-1), in: period.timeZone)
        let path = pattern.replacingOccurrences(of: "{team}", with: team.id)
            .replacingOccurrences(of: "{date}", with: last.description)
            .replacingOccurrences(of: "{schedule}", with: schedule)
        return path.hasPrefix("/") ? path : stateDir + "/" + path
    }
}
