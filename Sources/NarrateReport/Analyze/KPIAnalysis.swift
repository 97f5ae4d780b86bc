import NarrateModel
import Foundation

/// KPI verdicts: a KPI that improved is an improvement only when every guardrail held.
public enum KPIAnalysis {
    /// How many periods the trend series covers.
    static let seriesLength = 6

    static func statuses(team: Team, kpis: [KPI], readings: [MetricReading], period: Period, asOf: Date? = nil)
        -> [KPIStatus]
    {
        let core = kpis.filter { $0.team == team.id && $0.role == .core }
        // Only the guardrails these KPIs name are looked up: `kpis` is every KPI of the config,
        // and indexing all of them for each team copied each one fifty times a cycle.
        let named = Set(core.flatMap(\.guardrails))
        let byID = named.isEmpty ? [:] : Dictionary(
            kpis.filter { named.contains($0.id) }.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
        // Nothing after the report's time counts: a reading dated in the future would otherwise
        // stand for a period it has not reached.
        let until = min(asOf ?? period.end, period.end)
        let byKPI = Dictionary(grouping: readings.filter { $0.at < until }, by: \.kpi)
        return core.map { kpi in
            let guardrails = kpi.guardrails.compactMap { byID[$0] }.map { guardrail in
                let current = judged(guardrail, in: period, until: until, byKPI[guardrail.id] ?? [])
                let before = judged(guardrail, in: period.previous, until: period.start, byKPI[guardrail.id] ?? [])
                var status = GuardrailStatus(
                    kpi: guardrail, current: current, previous: before, state: state(guardrail, current, before))
                status.series = series(cadence(of: guardrail, in: period, asOf: until)).map { value(guardrail, in: $0, byKPI[guardrail.id] ?? []) }
                return status
            }
            let current = judged(kpi, in: period, until: until, byKPI[kpi.id] ?? [])
            let before = judged(kpi, in: period.previous, until: period.start, byKPI[kpi.id] ?? [])
            var status = KPIStatus(
                kpi: kpi, current: current, previous: before, guardrails: guardrails,
                verdict: verdict(kpi, current, before, guardrails))
            let last = cadence(of: kpi, in: period, asOf: until)
            status.series = series(last).map { value(kpi, in: $0, byKPI[kpi.id] ?? []) }
            status.span = last
            return status
        }
    }

    /// A KPI's value for the report's period (or the one before), comparable with its target
    /// and limit. Those are set per period of its review cadence, so a count judged over a
    /// period of another length is its rate per cadence period: a monthly report's 26 deploys
    /// over November's 30 days are 6.1 a week against a target of 10 a week, not 26 against 10.
    /// Averages, ratios and changes do not depend on the period's length.
    static func judged(_ kpi: KPI, in period: Period, until: Date, _ readings: [MetricReading]) -> Double? {
        guard let value = value(kpi, in: period, readings) else { return nil }
        guard isRate(kpi, in: period), let cadence = kpi.reviewPeriod else { return value }
        let elapsed = min(until, period.end).timeIntervalSince(period.start)
        guard elapsed > 0 else { return value }
        return value * averageLength(cadence) / elapsed
    }

    /// True when `period` judges `kpi` as a rate per period of its cadence (see ``judged``):
    /// the report then says so beside each value ("6.1 deploys a week").
    public static func isRate(_ kpi: KPI, in period: Period) -> Bool {
        guard kpi.kind == .count, let cadence = kpi.reviewPeriod else { return false }
        return cadence != period.kind && period.kind != .sinceLast
    }

    /// A cadence's average length in seconds (a month 30.44 days, a quarter 91.31).
    static func averageLength(_ kind: Period.Kind) -> TimeInterval {
        switch kind {
        case .day, .sinceLast: 86_400
        case .week: 7 * 86_400
        case .month: 365.2425 / 12 * 86_400
        case .quarter: 365.2425 / 4 * 86_400
        }
    }

    /// The period of a KPI's review cadence that holds the report's time (for a weekly KPI in a
    /// monthly report: the month's last week, or this week while the month goes on), else the
    /// report's own. Its trend series is made of such periods; the KPI itself is judged on the
    /// report's period.
    public static func cadence(of kpi: KPI, in period: Period, asOf: Date? = nil) -> Period {
        guard let kind = kpi.reviewPeriod, kind != period.kind, period.kind != .sinceLast else { return period }
        let end = min(asOf ?? period.end, period.end)
        let last = Period.containing(max(end, period.start.addingTimeInterval(1)).addingTimeInterval(-1), kind: kind, in: period.timeZone)
        // A shorter cadence ends with its last period inside the report's (November's weeks end
        // with 23–29 November, not with the week of 30 November, which is mostly December).
        guard last.end > period.end, averageLength(kind) < averageLength(period.kind) else { return last }
        return last.previous
    }

    /// The last ``seriesLength`` periods ending with `span`, oldest first.
    public static func series(_ span: Period) -> [Period] {
        var periods = [span]
        while periods.count < seriesLength { periods.insert(periods[0].previous, at: 0) }
        return periods
    }

    /// The first instant any KPI's value or series needs a reading from.
    public static func readingsStart(team: Team, kpis: [KPI], period: Period, asOf: Date? = nil) -> Date {
        let team = kpis.filter { $0.team == team.id }
        return ([period.previous.start] + team.map { series(cadence(of: $0, in: period, asOf: asOf)).first!.start }).min()!
    }

    /// A period's value by the KPI's kind: a count adds its readings up; a ratio or a change is its
    /// latest reading (a ratio is already a rate, a change already a difference); an average is
    /// the mean of its readings.
    public static func value(_ kpi: KPI, in span: Period, _ readings: [MetricReading]) -> Double? {
        let inSpan = readings.filter { span.contains($0.at) }
        guard !inSpan.isEmpty else { return nil }
        switch kpi.kind {
        case .count?: return inSpan.reduce(0) { $0 + $1.value }
        case .average?: return inSpan.reduce(0) { $0 + $1.value } / Double(inSpan.count)
        case .ratio?, .change?, nil: return inSpan.max { ($0.at, $0.id) < ($1.at, $1.id) }?.value
        }
    }

    /// A guardrail's tier: breached past its limit, warning past its `warn_at`, worsened when it
    /// moved the wrong way within both, else holding. The direction is kept apart from the tier
    /// (``GuardrailStatus/movedWrongWay``): a guardrail near its ceiling that also got worse is both.
    static func state(_ guardrail: KPI, _ current: Double?, _ previous: Double?) -> GuardrailStatus.State {
        guard let current else { return .noData }
        if let limit = guardrail.limit, guardrail.isBetter(limit, than: current) { return .breached }
        if let warn = guardrail.warnAt, guardrail.isBetter(warn, than: current) { return .warning }
        if let previous, guardrail.isBetter(previous, than: current) { return .worsened }
        return .holding
    }

    /// A KPI that moved the better way is a side effect when any guardrail is breached or moved
    /// the wrong way, whatever its tier: the warning tier adds to that, it never replaces it.
    static func verdict(_ kpi: KPI, _ current: Double?, _ previous: Double?, _ guardrails: [GuardrailStatus])
        -> KPIStatus.Verdict
    {
        guard let current, let previous else { return .noData }
        if current == previous { return .unchanged }
        guard kpi.isBetter(current, than: previous) else { return .worsening }
        if guardrails.contains(where: \.isTroubled) { return .sideEffect }
        if guardrails.isEmpty || guardrails.contains(where: { $0.state == .noData }) { return .unguarded }
        return .improving
    }
}
