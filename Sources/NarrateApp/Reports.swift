import Foundation
import NarrateModel
import NarrateConfig
import NarrateReport
import NarrateTargets
import NarrateStore

/// Reports to read: previews that send and record nothing, and the demo week.
public struct Reports: Sendable {
    let context: AppContext

    /// A rendered preview.
    public struct Preview: Sendable, Codable {
        public var team: String
        public var periodStart: String
        public var periodEnd: String
        public var locale: String
        public var markdown: String
        /// With a target: the parts it would receive, in its dialect.
        public var parts: [String]?
    }

    /// The reports `narrate preview` prints: what the sources would bring included, nothing
    /// imported, so it is the report a slot would send.
    public func preview(
        team: String? = nil, schedule: String? = nil, period: Period.Kind? = nil, locale: String? = nil, at: Date? = nil,
        digest: Bool = false, target: String? = nil, by reader: Requester = .storeOwner(user: "")
    ) async throws -> [Preview] {
        let pipeline = context.pipeline
        if let target { _ = try context.config.requireTarget(target) }
        var plans: [ReportPlan] = []
        for plan in try await pipeline.plan(team: team, schedule: schedule, period: period, at: at, locale: locale) {
            // A person previews their own teams' reports, and a digest only as its manager.
            if case .person(let caller) = reader, !caller.isAdmin {
                let id = caller.person.id
                let manages = plan.team.manager == id
                guard manages || plan.team.members.contains(id) else {
                    if team == nil && schedule == nil { continue }
                    throw NarrateError(.forbidden, "team \(plan.team.id) is not yours; only its people and admins preview its report")
                }
                if digest && !manages {
                    throw NarrateError(.forbidden, "the manager digest of \(plan.team.id) is for its manager and admins only")
                }
            }
            plans.append(await pipeline.withSources(plan, importing: false))
        }
        return try await plans.asyncFlatMap { plan in
            var report = pipeline.analyze(try await pipeline.gather(plan))
            report.sourceNotes = plan.sourceNotes
            return try await pipeline.render(report, plan: plan, messages: digest ? .digest : .team).map { rendered in
                let parts = try target.map { try pipeline.format(rendered, targets: [$0]).parts.first?.bodies ?? [] }
                return Preview(
                    team: plan.team.id, periodStart: TimeText.iso(plan.period.start, in: plan.period.timeZone),
                    periodEnd: TimeText.iso(plan.period.end, in: plan.period.timeZone), locale: plan.locale,
                    markdown: rendered.markdown, parts: parts)
            }
        }
    }

    /// Fills the store with the demo week (once), then renders and archives its report.
    public func demo(team teamID: String) async throws -> (report: String, file: String) {
        let config = context.config
        let team = try config.requireTeam(teamID)
        let now = context.clock.now()
        let week: Period
        if try await context.store.entryCount() == 0 {
            week = try await DemoWeek.seed(context, team: team.id)
            context.logger.notice("recorded a demo week for \(team.id) in \(context.stateDir)")
        } else {
            week = DemoWeek.week(before: now, in: config.zone(of: team))
        }
        let pipeline = context.pipeline
        let plan = ReportPlan(
            team: team, schedule: nil, period: week, locale: try pipeline.locale(for: team, nil), now: now)
        let markdown = try await pipeline.run(plan, messages: .team)[0].rendered.markdown
        var pattern = "reports/{team}-{date}.md"
        for target in team.targets.compactMap(config.target) {
            if case .file(let path) = target.endpoint {
                pattern = path
                break
            }
        }
        let file = ReportPath.expand(
            pattern, team: team.id, schedule: "demo", lastDay: LocalDate(week.end.addingTimeInterval(-1), in: week.timeZone),
            stateDir: context.stateDir)
        try AtomicFile.write(markdown, to: file)
        return (markdown, file)
    }

    /// A report as it was queued, with how far its delivery got.
    public struct Archived: Sendable, Codable {
        public var id: Int64
        /// `report` or `digest`.
        public var kind: String
        public var team: String
        public var schedule: String?
        public var periodStart: String
        public var periodEnd: String
        public var createdAt: String
        public var targets: [String]
        public var parts: Int
        public var sent: Int
        /// The period's last day (its end is the next day's midnight), as the report names it.
        public var lastDay: String?
        /// Each target with a part not sent, and how that part stands: `discord parked`.
        public var unsent: [String]?
        /// Only for `reports show`.
        public var markdown: String?
    }

    /// `narrate reports`: the latest reports, newest first; manager digests only for those
    /// who may read them.
    public func archived(team: String? = nil, limit: Int = 50, by reader: Requester) async throws -> [Archived] {
        if let team { _ = try context.config.requireTeam(team) }
        return try await context.store.reports(team: team, kinds: [ReportRecord.reportKind, ReportRecord.digestKind], limit: limit)
            .filter { mayRead($0, reader) }
            .asyncMap { try await archived($0, markdown: false) }
    }

    /// `narrate reports show ID`: one report again, as it was rendered.
    public func archived(id: Int64, by reader: Requester) async throws -> Archived {
        guard let record = try await context.store.report(id), record.kind != "notice" else {
            throw NarrateError(.notFound, "no report \(id); `narrate reports` lists them")
        }
        guard mayRead(record, reader) else {
            throw NarrateError(
                .forbidden,
                record.kind == ReportRecord.digestKind
                    ? "report \(id) is a manager digest: only the team's manager and admins may read it"
                    : "report \(id) is team \(record.team)'s: only its people and admins may read it")
        }
        return try await archived(record, markdown: true)
    }

    /// A team report is for the team's people (its members and manager); a manager digest holds
    /// each person's mood and load, for the team's manager only. Admins, and the shell that owns
    /// the store file, read everything.
    public func mayRead(_ record: ReportRecord, _ reader: Requester) -> Bool {
        guard case .person(let caller) = reader, !caller.isAdmin else { return true }
        guard let team = context.config.team(record.team) else { return false }
        let id = caller.person.id
        return record.kind == ReportRecord.digestKind ? team.manager == id : team.members.contains(id) || team.manager == id
    }

    func archived(_ record: ReportRecord, markdown: Bool) async throws -> Archived {
        let zone = context.config.zone(ofTeam: record.team)
        let parts = try await context.store.deliveries(reports: [record.id])
        var targets: [String] = []
        for part in parts where !targets.contains(part.target) { targets.append(part.target) }
        return Archived(
            id: record.id, kind: record.kind, team: record.team, schedule: record.schedule,
            periodStart: TimeText.iso(record.periodStart, in: zone), periodEnd: TimeText.iso(record.periodEnd, in: zone),
            createdAt: TimeText.iso(record.createdAt, in: zone), targets: targets, parts: parts.count,
            sent: parts.filter { $0.state == .sent }.count,
            lastDay: LocalDate(record.periodEnd.addingTimeInterval(-1), in: zone).description,
            unsent: targets.compactMap { target in
                parts.first { $0.target == target && $0.state != .sent }.map { "\(target) \($0.state.rawValue)" }
            },
            markdown: markdown ? record.markdown : nil)
    }
}
