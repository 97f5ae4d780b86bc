/// When a team's report is made and which period it covers.
public struct Schedule: Sendable, Equatable {
    public var id: String
    public var team: String
    public var cron: CronExpression
    public var timeZone: String?
    public var period: Period.Kind
    /// A slot missed by less than this many seconds still runs once, late.
    public var catchUp: Int
    /// Seconds before each slot to remind who has not checked in (nil: no reminders).
    public var remindBefore: Int?
    /// Seconds before each slot for one more reminder (less than `remindBefore`).
    public var remindAgain: Int?

    public init(
        id: String, team: String, cron: CronExpression, timeZone: String? = nil, period: Period.Kind = .sinceLast,
        catchUp: Int = 7_200
    ) {
        self.id = id
        self.team = team
        self.cron = cron
        self.timeZone = timeZone
        self.period = period
        self.catchUp = catchUp
    }
}
