import Foundation

extension Workspace {
    /// Fills the store with the demo week (once), then renders and archives its report.
    public func demo(team teamID: String, now: Date = Date()) throws -> (report: String, file: String) {
        let team = try config.requireTeam(teamID)
        let week: Period
        if try store.entryCount() == 0 {
            week = try DemoWeek.seed(self, team: team.id, now: now)
            logger.notice("recorded a demo week for \(team.id) in \(store.path)")
        } else {
            week = DemoWeek.week(before: now, in: config.zone(of: team))
        }
        let (_, report) = try report(team: team, period: week, now: now)
        let pattern = team.targets.compactMap(config.target).first { $0.kind == .file }?.settings["path"]
            ?? "reports/{team}-{date}.md"
        let file = Courier.expand(
            pattern, team: team.id, schedule: "demo", lastDay: LocalDate(week.end.addingTimeInterval(-1), in: week.timeZone),
            stateDir: stateDir)
        try AtomicFile.write(report, to: file)
        return (report, file)
    }
}
