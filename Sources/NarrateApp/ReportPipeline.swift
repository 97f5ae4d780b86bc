import Foundation
import Metrics
import NarrateModel
import NarrateConfig
import NarrateReport
import NarrateTargets
import Synchronization
import NarrateSources
import NarrateStore

/// The one way a report is made, whoever asks for it (preview, `now`, `--dry-run`, the demo, the
/// daemon): plan → gather from every source → analyze → render → format per target.
/// Each step takes and returns plain values.
public struct ReportPipeline: Sendable {
    let context: AppContext

    var config: Config { context.config }

    // MARK: plan

    /// The reports a request covers — a schedule's team, one team by id, or every team — each
    /// with its schedule (given, else the team's first), period and locale.
    public func plan(
        team teamID: String? = nil, schedule scheduleID: String? = nil, period kind: Period.Kind? = nil, at: Date? = nil,
        locale: String? = nil
    ) async throws -> [ReportPlan] {
        let now = context.clock.now()
        let schedule = try scheduleID.map(config.requireSchedule)
        let teams: [Team]
        if let schedule {
            teams = [try config.requireTeam(schedule.team)]
        } else if let teamID {
            teams = [try config.requireTeam(teamID)]
        } else {
            guard !config.teams.isEmpty else { throw NarrateError(.invalidInput, "the config defines no team") }
            teams = config.teams
        }
        return try await teams.asyncMap { team in
            let teamSchedule = schedule ?? config.firstSchedule(of: team)
            return ReportPlan(
                team: team, schedule: teamSchedule,
                period: try await period(for: team, kind: kind, schedule: teamSchedule, at: at ?? now, sinceManualRuns: false),
                locale: try self.locale(for: team, locale), now: now)
        }
    }

    /// The plan of one scheduled slot: the schedule's team and period, ending at the slot.
    public func plan(schedule: Schedule, slot: Date) async throws -> ReportPlan {
        let team = try config.requireTeam(schedule.team)
        return ReportPlan(
            team: team, schedule: schedule,
            period: try await period(for: team, kind: nil, schedule: schedule, at: slot, sinceManualRuns: true),
            locale: try locale(for: team, nil), now: context.clock.now())
    }

    /// The period a report covers: the explicit kind, else the schedule's, else a week.
    /// `since-last` runs from the schedule's last report (or a week back when there was none) to
    /// `instant`. A scheduled slot counts reports sent by hand (`narrate now`) too, so it never
    /// repeats them; `narrate now` and `preview` count only scheduled ones, so running `now`
    /// twice makes the same report (which `now` then does not post again).
    func period(for team: Team, kind: Period.Kind?, schedule: Schedule?, at instant: Date, sinceManualRuns: Bool) async throws -> Period {
        let zone = config.zone(of: team)
        let chosen = kind ?? schedule?.period ?? .week
        guard chosen == .sinceLast else { return Period.containing(instant, kind: chosen, in: zone) }
        var last: Date?
        if let schedule {
            last = try await context.store.lastRun(schedule: schedule.id, state: .done, before: instant, manual: sinceManualRuns ? nil : false)?.slot
        }
        return Period(kind: .sinceLast, start: last ?? instant.addingTimeInterval(-7 * 86_400), end: instant, timeZone: zone)
    }

    /// The locale of a team's report: explicit, else the team's, else the config's.
    func locale(for team: Team, _ explicit: String?) throws -> String {
        let locale = explicit ?? team.locale ?? config.locale
        guard Config.locales.contains(locale) else {
            throw NarrateError(.invalidInput, "unknown locale \"\(locale)\" (\(Config.locales.joined(separator: ", ")))")
        }
        return locale
    }

    // MARK: gather, analyze, render

    /// Everything the analysis needs, from every source.
    public func gather(_ plan: ReportPlan) async throws -> ReportInput {
        let team = plan.team
        let (lookbackStart, _) = ReportInput.lookback(plan.period)
        let kpiIDs = Set(config.kpis.filter { $0.team == team.id }.flatMap { [$0.id] + $0.guardrails })
        var request = GatherRequest(
            team: team, persons: team.members, period: plan.period, lookbackStart: lookbackStart,
            kpis: kpiIDs.sorted(), readingsStart: KPIAnalysis.readingsStart(team: team, kpis: config.kpis, period: plan.period, asOf: plan.now))
        request.moodsStart = KPIAnalysis.series(plan.period).first?.start
        var batch = plan.pending
        batch.entries.removeAll { $0.at < lookbackStart }
        for source in context.sources {
            let more = try await source.gather(request)
            batch.entries += more.entries
            batch.absences += more.absences
            batch.moods += more.moods
            batch.readings += more.readings
        }
        batch.entries.sort { ($0.at, $0.id) < ($1.at, $1.id) }
        var input = ReportInput(
            team: team, members: team.members.compactMap(config.person), kpis: config.kpis, period: plan.period,
            now: plan.now, entries: batch.entries, absences: batch.absences, moods: batch.moods, readings: batch.readings)
        input.directory = config.persons
        input.deadline = deadline(plan)
        return input
    }

    /// When a plan's check-ins are due: its schedule's first slot in the period (a weekly report
    /// of a Friday 17:00 schedule: that Friday), else the period's end.
    func deadline(_ plan: ReportPlan) -> Date {
        let period = plan.period
        guard let schedule = plan.schedule else { return period.end }
        let slot = CronSchedule(cron: schedule.cron, zone: config.zone(of: schedule)).next(after: period.start).first
        return slot.map { min($0, period.end) } ?? period.end
    }

    public func analyze(_ input: ReportInput) -> Report {
        ReportAnalyzer.analyze(input)
    }

    /// The plan with its sources run first: what they find is in the store before gathering,
    /// and what failed is in the plan's footer notes. Without `importing` (a preview, a dry
    /// run), nothing is imported: what the sources would bring goes with the plan instead, so
    /// the report is the one a slot would send.
    public func withSources(_ plan: ReportPlan, importing: Bool = true) async -> ReportPlan {
        var plan = plan
        if importing {
            plan.sourceNotes = await context.sourceRuns.notes(team: plan.team, period: plan.period, locale: plan.locale)
        } else {
            (plan.pending, plan.sourceNotes) = await context.sourceRuns.pending(team: plan.team, period: plan.period, locale: plan.locale)
        }
        return plan
    }

    /// The team report and, when `digest` asks for it, the manager digest, each with the
    /// targets it goes to.
    public func render(_ report: Report, plan: ReportPlan, messages: Messages = .delivery) async throws -> [RenderedReport] {
        let renderer = context.renderer
        var rendered: [RenderedReport] = []
        if messages != .digest {
            rendered.append(RenderedReport(
                plan: plan, kind: .team, markdown: try renderer.teamReport(report, locale: plan.locale),
                targets: plan.team.targets))
        }
        // One digest per manager across the teams that send it to the same targets: with the
        // first of those teams' report (in config order), so no team's cycle sends it twice.
        let group = digestGroup(of: plan.team)
        if messages == .digest || (messages == .delivery && !plan.team.managerTargets.isEmpty && group.first?.id == plan.team.id) {
            var reports = [report]
            for other in group where other.id != plan.team.id {
                let otherPlan = try await self.plan(team: other.id, at: plan.now, locale: plan.locale)[0]
                await reports.append(analyze(try gather(otherPlan)))
            }
            let manager = plan.team.manager.flatMap(config.person)?.name
            rendered.append(RenderedReport(
                plan: plan, kind: .digest, markdown: try renderer.managerDigest(reports, manager: manager, locale: plan.locale),
                targets: plan.team.managerTargets))
        }
        for report in rendered {
            Counter(label: "narrate_reports_rendered_total", dimensions: [("kind", report.kind.rawValue)]).increment()
        }
        return rendered
    }

    /// The teams whose digest goes out as one with `team`'s: those with the same manager and
    /// the same manager targets, in config order (`team` alone when it has no manager).
    func digestGroup(of team: Team) -> [Team] {
        guard let manager = team.manager else { return [team] }
        let targets = Set(team.managerTargets)
        return config.teams.filter { $0.manager == manager && Set($0.managerTargets) == targets }
    }

    // MARK: format

    /// The parts each target receives, in its dialect and within its limit. Targets that share
    /// a dialect and a limit share one formatting.
    public func format(_ rendered: RenderedReport, targets ids: [String]? = nil) throws -> FormattedReport {
        var cache: [String: [String]] = [:]
        var document: MarkdownDocument?
        let parts = try (ids ?? rendered.targets).map { id -> OutboxParts in
            let target = try config.requireTarget(id)
            let formatter = MessageFormatter(dialect: target.descriptor.dialect, limit: target.limit)
            let key = "\(formatter.dialect.rawValue)/\(formatter.limit)"
            if document == nil && formatter.dialect != .commonmark { document = MarkdownDocument(parsing: rendered.markdown) }
            let bodies = cache[key] ?? formatter.parts(rendered.markdown, document: document)
            cache[key] = bodies
            return OutboxParts(target: target.id, kind: target.kind, bodies: bodies)
        }
        return FormattedReport(rendered: rendered, parts: parts)
    }

    // MARK: all steps

    /// Plan to formatted parts for one plan.
    public func run(_ plan: ReportPlan, messages: Messages = .delivery) async throws -> [FormattedReport] {
        var report = await analyze(try gather(plan))
        report.sourceNotes = plan.sourceNotes
        report.teamPage = config.http?.publicURL.map { "\($0)/teams/\(plan.team.id)" }
        return try await render(report, plan: plan, messages: messages).map { try format($0) }
    }

    /// ``run(_:messages:)`` for many plans at once, one child task each (on narrate's executor,
    /// whose threads are one a core); results in the plans' order. The steps share nothing
    /// mutable: the store reads concurrently, and the templates of the plans' locales are
    /// compiled by a task of their own while the first reports are gathered (a render that comes
    /// first waits for that compilation).
    public func run(_ plans: [ReportPlan], messages: Messages = .delivery) async throws -> [[FormattedReport]] {
        guard plans.count > 1 else { return try await plans.asyncMap { try await run($0, messages: messages) } }
        let renderer = context.renderer
        let locales = Set(plans.map(\.locale))
        return try await withThrowingTaskGroup(of: (Int, [FormattedReport]).self) { group in
            group.addTask {
                for locale in locales { try renderer.prepare(locale: locale) }
                return (-1, [])
            }
            for (index, plan) in plans.enumerated() {
                group.addTask { (index, try await run(plan, messages: messages)) }
            }
            var results = [[FormattedReport]](repeating: [], count: plans.count)
            for try await (index, reports) in group where index >= 0 { results[index] = reports }
            return results
        }
    }
}

/// One report to make: which team, schedule, period and locale, as of when.
public struct ReportPlan: Sendable {
    public var team: Team
    public var schedule: Schedule?
    public var period: Period
    public var locale: String
    /// The time the report is made at.
    public var now: Date
    /// What the sources' run for this report could not do (the report's footer).
    public var sourceNotes: [String] = []
    /// What the sources found that is not in the store yet (a preview's, without importing).
    public var pending = SourceBatch()
}

/// Which messages a run renders.
public enum Messages: Sendable, Equatable {
    /// What a cycle delivers: the team report, and the manager digest when the team has `manager_targets`.
    case delivery
    /// The team report only.
    case team
    /// The manager digest only.
    case digest
}

/// A report in CommonMark, with the targets it goes to.
public struct RenderedReport: Sendable {
    public enum Kind: String, Sendable { case team, digest }

    public var plan: ReportPlan
    public var kind: Kind
    public var markdown: String
    public var targets: [String]

    /// The record the outbox keeps for it.
    public var record: ReportRecord {
        ReportRecord(
            team: plan.team.id, schedule: plan.schedule?.id, periodStart: plan.period.start, periodEnd: plan.period.end,
            markdown: markdown, createdAt: plan.now, kind: kind == .digest ? ReportRecord.digestKind : ReportRecord.reportKind)
    }
}

/// A rendered report with the parts each of its targets receives.
public struct FormattedReport: Sendable {
    public var rendered: RenderedReport
    public var parts: [OutboxParts]
}
