import Foundation

/// KPI verdicts: a KPI that improved is an improvement only when every guardrail held.
enum KPIAnalysis {
    static func statuses(team: Team, kpis: [KPI], readings: [MetricReading], period: Period) -> [KPIStatus] {
        let byID = Dictionary(kpis.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
        let previous = period.previous
        func value(_ kpi: KPI, in span: Period) -> Double? {
            // A reading is the KPI's value as measured then; a period's value is its latest reading.
            readings.filter { $0.kpi == kpi.id && span.contains($0.at) }.max { ($0.at, $0.id) < ($1.at, $1.id) }?.value
        }
        return kpis.filter { $0.team == team.id && $0.role == .core }.map { kpi in
            let guardrails = kpi.guardrails.compactMap { byID[$0] }.map { guardrail in
                let current = value(guardrail, in: period)
                let before = value(guardrail, in: previous)
                return GuardrailStatus(
                    kpi: guardrail, current: current, previous: before, state: state(guardrail, current, before))
            }
            let current = value(kpi, in: period)
            let before = value(kpi, in: previous)
            return KPIStatus(
                kpi: kpi, current: current, previous: before, guardrails: guardrails,
                verdict: verdict(kpi, current, before, guardrails))
        }
    }

    static func state(_ guardrail: KPI, _ current: Double?, _ previous: Double?) -> GuardrailStatus.State {
        guard let current else { return .noData }
        if let limit = guardrail.limit, guardrail.isBetter(limit, than: current) { return .breached }
        if let previous, guardrail.isBetter(previous, than: current) { return .worsened }
        return .holding
    }

    static func verdict(_ kpi: KPI, _ current: Double?, _ previous: Double?, _ guardrails: [GuardrailStatus])
        -> KPIStatus.Verdict
    {
        guard let current, let previous else { return .noData }
        if current == previous { return .unchanged }
        guard kpi.isBetter(current, than: previous) else { return .worsening }
        if guardrails.contains(where: { $0.state == .breached || $0.state == .worsened }) { return .sideEffect }
        if guardrails.isEmpty || guardrails.contains(where: { $0.state == .noData }) { return .unguarded }
        return .improving
    }
}
