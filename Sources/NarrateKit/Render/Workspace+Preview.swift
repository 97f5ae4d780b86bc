import Foundation

extension Workspace {
    /// The teams a command acts on — a schedule's team, one team by id, or all — with the
    /// schedule (given, else the team's first) and the period each report covers.
    func cycles(team teamID: String?, schedule scheduleID: String?, kind: Period.Kind?, at: String?, now: Date) throws
        -> [(team: Team, schedule: Schedule?, period: Period)]
    {
        let schedule = try scheduleID.map(config.requireSchedule)
        let teams: [Team]
        if let schedule {
            teams = [try config.requireTeam(schedule.team)]
        } else if let teamID {
            teams = [try config.requireTeam(teamID)]
        } else {
            guard !config.teams.isEmpty else { throw NarrateError("the config defines no team") }
            teams = config.teams
        }
        return try teams.map { team in
            let teamSchedule = schedule ?? config.firstSchedule(of: team)
            return (team, teamSchedule, try period(for: team, kind: kind, schedule: teamSchedule, at: at, now: now))
        }
    }

    /// The period a report covers: the explicit kind, else the schedule's, else a week.
    /// `since-last` runs from the schedule's last report (or a week back when there was none) to now.
    func period(for team: Team, kind: Period.Kind?, schedule: Schedule?, at: String?, now: Date) throws -> Period {
        let zone = config.zone(of: team)
        let instant = try at.map { try TimeText.parse($0, zone: zone, now: now) } ?? now
        let schedule = schedule ?? config.firstSchedule(of: team)
        let chosen = kind ?? schedule?.period ?? .week
        guard chosen == .sinceLast else { return Period.containing(instant, kind: chosen, in: zone) }
        let last = try schedule.flatMap { try store.lastRun(schedule: $0.id, state: .done, before: instant)?.slot }
        return Period(kind: .sinceLast, start: last ?? instant.addingTimeInterval(-7 * 86_400), end: instant, timeZone: zone)
    }

    /// The locale of a team's report: explicit, else the team's, else the config's.
    func locale(for team: Team, _ explicit: String?) throws -> String {
        let locale = explicit ?? team.locale ?? config.locale
        guard Config.locales.contains(locale) else {
            throw NarrateError("unknown locale \"\(locale)\" (\(Config.locales.joined(separator: ", ")))")
        }
        return locale
    }

    /// The template renderer, with the config's `templates_dir` (relative to the config file).
    public func renderer() throws -> ReportRenderer {
        guard let directory = config.templatesDir else { return try ReportRenderer() }
        if directory.hasPrefix("/") { return try ReportRenderer(templatesDir: directory) }
        let base = (config.file as NSString).deletingLastPathComponent
        return try ReportRenderer(templatesDir: base.isEmpty ? directory : base + "/" + directory)
    }

    /// Gathers, analyzes and renders one team's report.
    public func report(team: Team, period: Period, locale: String? = nil, now: Date = Date()) throws -> (Report, String) {
        let report = ReportAnalyzer.analyze(try gather(team: team, period: period, now: now))
        let markdown = try renderer().teamReport(report, locale: try self.locale(for: team, locale))
        return (report, markdown)
    }

    /// A rendered preview: nothing is sent or recorded.
    public struct Preview: Sendable, Encodable {
        public var team: String
        public var periodStart: String
        public var periodEnd: String
        public var locale: String
        public var markdown: String
        /// With a target: the parts it would receive, in its dialect.
        public var parts: [String]?
    }

    /// The reports `narrate preview` prints; nothing is sent or recorded.
    public func preview(
        team teamID: String?, schedule scheduleID: String?, period kind: Period.Kind?, locale: String?, at: String?,
        digest: Bool = false, target targetID: String? = nil, now: Date = Date()
    ) throws -> [Preview] {
        let target = try targetID.map { id -> Target in
            guard let target = config.target(id) else {
                throw NarrateError("unknown target \"\(id)\". Known: \(config.targets.map(\.id).joined(separator: ", "))")
            }
            return target
        }
        return try cycles(team: teamID, schedule: scheduleID, kind: kind, at: at, now: now).map { team, _, period in
            let chosenLocale = try self.locale(for: team, locale)
            let report = ReportAnalyzer.analyze(try gather(team: team, period: period, now: now))
            let renderer = try renderer()
            let markdown = digest
                ? try renderer.managerDigest(report, locale: chosenLocale) : try renderer.teamReport(report, locale: chosenLocale)
            let parts = target.map { MessageFormatter(dialect: Dialect(target: $0.kind), limit: $0.limit).parts(markdown) }
            return Preview(
                team: team.id, periodStart: TimeText.iso(period.start, in: period.timeZone),
                periodEnd: TimeText.iso(period.end, in: period.timeZone), locale: chosenLocale, markdown: markdown, parts: parts)
        }
    }
}
