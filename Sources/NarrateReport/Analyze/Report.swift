import NarrateModel
import Foundation

/// One team's report for one period: what moved, what is stuck and where, what comes next,
/// what was learned, which small improvements show the direction, and whether a KPI was
/// bought with a side effect on its guardrail. People are never ranked.
public struct Report: Sendable, Equatable {
    public var team: Team
    public var period: Period
    /// The time the report describes the state at: the period's end, or now if earlier.
    public var asOf: Date
    public var participation: Participation
    public var kpis: [KPIStatus]
    public var improvements: Improvements
    public var openBlockers: [OpenBlocker]
    public var people: [PersonNarrative]
    /// Only when at least ``MoodSummary/minimumAnswers`` people answered.
    public var mood: MoodSummary?
    /// Per-person mood and load: only for the manager digest.
    public var moodByPerson: [PersonMood]
    public var learnings: [AttributedEntry]
    /// Sources that failed or ran out of time this run, one line each, for the footer.
    public var sourceNotes: [String] = []
    /// What the report opens with: asks and decisions people logged, and KPIs that need someone.
    public var asks: [AttributedEntry] = []
    public var decisions: [AttributedEntry] = []
    public var kpiAsks: [KPIAsk] = []
    /// People who helped others this period (their cards say how).
    public var helpers: [Person] = []
    /// The team page (`public_url/teams/ID`), linked at the end when the service is public.
    public var teamPage: String? = nil
    /// For the manager digest: members whose signals together suggest they need help.
    public var mayNeedHelp: [HelpSignal] = []
}

/// A KPI that needs someone: bought with a side effect, worsening, or off target without
/// improving; with its owner and the open next actions logged against it.
public struct KPIAsk: Sendable, Equatable {
    public var status: KPIStatus
    public var owner: Person?
    public var actions: [Entry]
}

/// A member the manager digest names, and why.
public struct HelpSignal: Sendable, Equatable {
    public enum Reason: String, Sendable, Equatable { case highLoad, lowMood, longBlocker, carriedActions, missing }
    public var person: Person
    public var reasons: [Reason]
}

/// Who reported, who is away (not counted as missing), who has not reported: missing once the
/// check-in deadline has passed, "not yet" before it.
public struct Participation: Sendable, Equatable {
    public var reported: [Person]
    public var away: [Person]
    public var missing: [Person]
    public var notYet: [Person] = []
    /// When check-ins are due, while it is still ahead.
    public var dueBy: Date? = nil
}

/// A core KPI this period against the previous one, with its guardrails.
public struct KPIStatus: Sendable, Equatable {
    public enum Verdict: String, Sendable, Equatable {
        /// Moved the better way and every guardrail held.
        case improving
        /// Moved the better way while a guardrail breached its limit or worsened: never a win.
        case sideEffect
        /// Moved the better way, but a guardrail has no reading, so it cannot be called an improvement yet.
        case unguarded
        case worsening
        case unchanged
        case noData
    }

    public var kpi: KPI
    public var current: Double?
    public var previous: Double?
    public var guardrails: [GuardrailStatus]
    public var verdict: Verdict
    /// Its value in each of the last six periods of its review cadence, oldest first.
    public var series: [Double?] = []
    /// The last period of its review cadence, which ``series`` ends with (the report's period
    /// when it has no cadence of its own). The KPI is judged on the report's period.
    public var span: Period? = nil

    /// True when the value reached (or beat) the target.
    public var onTarget: Bool {
        guard let current, let target = kpi.target else { return false }
        return current == target || kpi.isBetter(current, than: target)
    }
}

/// A guardrail metric's state this period.
public struct GuardrailStatus: Sendable, Equatable {
    public enum State: String, Sendable, Equatable {
        case holding
        /// Worse than its limit.
        case breached
        /// Within its limit but past its `warn_at`: close to a breach.
        case warning
        /// Still within its limit, but worse than last period.
        case worsened
        case noData
    }

    public var kpi: KPI
    public var current: Double?
    public var previous: Double?
    public var state: State
    /// Its value in each of the last six periods of its review cadence, oldest first.
    public var series: [Double?] = []

    /// Worse than the previous period, in whichever tier it is.
    public var movedWrongWay: Bool {
        guard let current, let previous else { return false }
        return kpi.isBetter(previous, than: current)
    }

    /// Counts against the KPI it guards: over its limit, or moved the wrong way.
    public var isTroubled: Bool { state == .breached || movedWrongWay }
}

/// The small-improvement signals of the period.
public struct Improvements: Sendable, Equatable {
    public var resolvedBlockers: [ResolvedBlocker]
    public var followThrough: FollowThrough
    /// KPIs that moved toward their target with every guardrail holding.
    public var improvingKPIs: [KPIStatus]
    /// Set when blockers were resolved faster than over the previous four periods.
    public var fasterUnblocking: FasterUnblocking?
    public var wins: [AttributedEntry]

    public var isEmpty: Bool {
        resolvedBlockers.isEmpty && followThrough.total == 0 && improvingKPIs.isEmpty && fasterUnblocking == nil
            && wins.isEmpty
    }
}

public struct ResolvedBlocker: Sendable, Equatable {
    public var entry: Entry
    public var owner: Person
    /// Time from raising to resolving, in seconds.
    public var openFor: TimeInterval
}

/// Next actions that were open when the period began, and what became of them.
public struct FollowThrough: Sendable, Equatable {
    public var done: Int
    public var carried: Int
    public var dropped: Int
    /// The same counts for the period before, for the comparison.
    public var previousRate: Double?

    public var total: Int { done + carried + dropped }
    /// done / total, nil when there was nothing to follow.
    public var rate: Double? { total == 0 ? nil : Double(done) / Double(total) }
}

public struct FasterUnblocking: Sendable, Equatable {
    /// Median seconds to resolve this period.
    public var median: TimeInterval
    /// Median seconds to resolve over the previous four periods.
    public var previousMedian: TimeInterval
}

/// A blocker still open at the report's time.
public struct OpenBlocker: Sendable, Equatable {
    public var entry: Entry
    public var owner: Person
    public var age: TimeInterval
    /// Open longer than the team's `escalate_after`: marked for the manager's attention.
    public var needsAttention: Bool
}

/// One person's four-part narrative for the period.
public struct PersonNarrative: Sendable, Equatable {
    public enum Outcome: String, Sendable, Equatable { case done, carried, dropped }

    /// A next action from before the period and what became of it.
    public struct FollowUp: Sendable, Equatable {
        public var entry: Entry
        public var outcome: Outcome
        /// How many periods it has been open at a period's start (1: since the last one).
        public var periods: Int = 1
    }

    public var person: Person
    public var progress: [Entry]
    public var blockers: [Entry]
    public var next: [Entry]
    public var learned: [Entry]
    /// Reviews, pairing, answers given to others.
    public var helped: [Entry] = []
    /// Next actions open when the period began, with their outcome by its end.
    public var followUps: [FollowUp]
    public var isAway: Bool
    /// Their blockers still open at the report's time, whenever raised (the card names them by id).
    public var openBlockers: [Entry] = []

    public var isEmpty: Bool {
        progress.isEmpty && blockers.isEmpty && next.isEmpty && learned.isEmpty && helped.isEmpty && followUps.isEmpty
    }
}

/// The team's mood and load, as an aggregate only.
public struct MoodSummary: Sendable, Equatable {
    public static let minimumAnswers = 3

    public var answered: Int
    public var averageMood: Double
    public var averageLoad: Double?
    /// How many answered with load 4 or 5 (nil, like ``averageLoad``, when fewer than
    /// ``minimumAnswers`` gave a load).
    public var highLoad: Int?
}

/// An entry with the person who wrote it.
public struct AttributedEntry: Sendable, Equatable {
    public var person: Person
    public var entry: Entry
}

/// One person's latest mood check-in of the period (manager digest only).
public struct PersonMood: Sendable, Equatable {
    public var person: Person
    public var mood: Int
    public var load: Int?
    /// The person's mood and load in each of the last six periods, oldest first (their latest
    /// answer in each; nil where they gave none).
    public var moodSeries: [Double?] = []
    public var loadSeries: [Double?] = []
}
