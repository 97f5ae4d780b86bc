/// A key performance indicator, or a guardrail metric that watches one.
///
/// A core KPI names at least one guardrail: the metric that would worsen if the KPI
/// were bought with a side effect (speed against quality, quantity against cost).
public struct KPI: Sendable, Equatable, Codable {
    public enum Role: String, Sendable, Codable, CaseIterable { case core, guardrail }
    public enum Kind: String, Sendable, Codable, CaseIterable { case count, ratio, average, change }
    public enum Direction: String, Sendable, Codable, CaseIterable { case up, down }
    public enum Horizon: String, Sendable, Codable, CaseIterable { case leading, lagging }
    public enum Review: String, Sendable, Codable, CaseIterable { case daily, weekly, monthly, quarterly }

    public var id: String
    public var team: String
    public var name: String
    public var role: Role
    public var kind: Kind?
    public var unit: String?
    /// Which way is better.
    public var direction: Direction?
    public var target: Double?
    /// For a guardrail: breached when worse than this.
    public var limit: Double?
    public var horizon: Horizon?
    public var review: Review?
    public var guardrails: [String]
    /// A Prometheus server and a PromQL query whose value at a period's end is the reading.
    public var prometheus: String?
    /// Who answers for it: named in the report's asks when it needs attention.
    public var owner: String?
    /// For a guardrail: the warning tier, reached before its limit.
    public var warnAt: Double?
    /// Why it matters (SMART: relevant), and the day its target is due (time-bound).
    public var objective: String?
    public var by: LocalDate?
    /// Lagging KPIs this leading one is expected to move.
    public var drives: [String] = []
    /// The name and unit in other locales (`name_zh-Hant`, `unit_zh-Hant`).
    public var localizedNames: [String: String] = [:]
    public var localizedUnits: [String: String] = [:]

    public func name(in locale: String) -> String { localizedNames[locale] ?? name }

    /// The unit as `locale` writes it: the config's own word for it, else a time unit translated
    /// (26 hours → 26 小時), else as written.
    public func unit(in locale: String) -> String? {
        if let unit = localizedUnits[locale] { return unit }
        guard let unit, locale == "zh-Hant" else { return unit }
        let time: [String: String] = [
            "hours": "小時", "hour": "小時", "h": "小時", "minutes": "分鐘", "minute": "分鐘", "min": "分鐘", "days": "天",
            "day": "天", "d": "天", "weeks": "週", "week": "週", "seconds": "秒", "second": "秒", "s": "秒",
        ]
        return time[unit.lowercased()] ?? unit
    }

    /// The period kind its `review` cadence judges it over, when it has one.
    public var reviewPeriod: Period.Kind? {
        switch review {
        case .daily: .day
        case .weekly: .week
        case .monthly: .month
        case .quarterly: .quarter
        case nil: nil
        }
    }
    public var query: String?

    public init(
        id: String, team: String, name: String, role: Role = .core, kind: Kind? = nil, unit: String? = nil,
        direction: Direction? = nil, target: Double? = nil, limit: Double? = nil, horizon: Horizon? = nil,
        review: Review? = nil, guardrails: [String] = []
    ) {
        self.id = id
        self.team = team
        self.name = name
        self.role = role
        self.kind = kind
        self.unit = unit
        self.direction = direction
        self.target = target
        self.limit = limit
        self.horizon = horizon
        self.review = review
        self.guardrails = guardrails
    }

    /// True when `value` is better than `other` in this KPI's direction.
    public func isBetter(_ value: Double, than other: Double) -> Bool {
        switch direction ?? .up {
        case .up: return value > other
        case .down: return value < other
        }
    }
}
