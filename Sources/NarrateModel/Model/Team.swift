/// A group that shares a report, its KPIs and its chat targets.
public struct Team: Sendable, Equatable, Codable {
    public var id: String
    public var name: String
    public var members: [String]
    public var manager: String?
    public var targets: [String]
    /// Where the manager digest (per-person mood and load) goes.
    public var managerTargets: [String]
    /// Open blockers older than this many seconds are marked for the manager.
    public var escalateAfter: Int
    /// Seconds a blocker is open before its owner is asked once whether it still blocks (nil: never).
    public var followUpAfter: Int?
    public var timeZone: String?
    public var locale: String?

    public init(
        id: String, name: String, members: [String], manager: String? = nil, targets: [String] = [],
        managerTargets: [String] = [], escalateAfter: Int = 5 * 86_400, timeZone: String? = nil,
        locale: String? = nil
    ) {
        self.id = id
        self.name = name
        self.members = members
        self.manager = manager
        self.targets = targets
        self.managerTargets = managerTargets
        self.escalateAfter = escalateAfter
        self.timeZone = timeZone
        self.locale = locale
    }
}
