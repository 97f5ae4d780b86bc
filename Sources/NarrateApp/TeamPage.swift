import Foundation
import NarrateModel
import NarrateConfig
import NarrateReport
import NarrateTargets

/// What the team page shows: the latest report (the archived one, else the current preview)
/// and each KPI's value over the last twelve periods with its target or limit.
public struct TeamPage: Sendable {
    let context: AppContext

    public struct Chart: Sendable {
        public var name: String
        public var unit: String
        /// Oldest first; nil where a period has no reading.
        public var values: [Double?]
        public var labels: [String]
        public var target: Double?
        /// A guardrail's limit and warning tier.
        public var limit: Double?
        public var warnAt: Double?
        /// The limit is a floor (higher is better), else a ceiling.
        public var limitIsFloor: Bool = false
        public var isGuardrail: Bool
    }

    public struct Content: Sendable {
        public var team: Team
        public var markdown: String
        public var locale: String
        public var charts: [Chart]
    }

    public static let periods = 12

    public func content(team id: String) async throws -> Content {
        let team = try context.config.requireTeam(id)
        let plan = try await context.pipeline.plan(team: team.id)[0]
        // The team report only: the digest beside it holds each person's mood and load.
        let markdown: String
        if let archived = try await context.store.reports(team: team.id, kinds: [ReportRecord.reportKind], limit: 1).first {
            markdown = archived.markdown
        } else {
            markdown = try await context.pipeline.run(plan, messages: .team)[0].rendered.markdown
        }
        let core = context.config.kpis.filter { $0.team == team.id && $0.role == .core }
        let guardrails = core.flatMap(\.guardrails).compactMap(context.config.kpi)
        var seen: Set<String> = []
        let kpis = (core + guardrails).filter { seen.insert($0.id).inserted }
        var charts: [Chart] = []
        for kpi in kpis {
            var spans = [KPIAnalysis.cadence(of: kpi, in: plan.period, asOf: plan.now)]
            while spans.count < Self.periods { spans.insert(spans[0].previous, at: 0) }
            // As in the report, nothing dated after now counts.
            let readings = try await context.store.readings(kpis: [kpi.id], from: spans[0].start, to: min(spans.last!.end, plan.now))
            let zone = context.config.zone(of: team)
            var chart = Chart(
                name: kpi.name(in: plan.locale), unit: kpi.unit(in: plan.locale) ?? "", values: spans.map { KPIAnalysis.value(kpi, in: $0, readings) },
                labels: spans.map { String(TimeText.short($0.start, in: zone).prefix(10)) }, target: kpi.target, limit: kpi.limit,
                warnAt: kpi.warnAt, isGuardrail: kpi.role == .guardrail)
            chart.limitIsFloor = kpi.direction == .up
            charts.append(chart)
        }
        return Content(team: team, markdown: markdown, locale: plan.locale, charts: charts)
    }
}
