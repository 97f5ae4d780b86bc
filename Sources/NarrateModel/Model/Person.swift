import Foundation

/// A member of a team who writes a work narrative.
public struct Person: Sendable, Equatable, Codable {
    public var id: String
    public var name: String
    /// The person's own zone; nil means the config default.
    public var timeZone: String?
    /// Identities the sources use to attribute commits and issues.
    public var git: [String]
    public var github: String?
    /// `narrate log` without `--as` picks the person whose `unix_user` is `$USER`.
    public var unixUser: String?
    /// Chat user ids: slash commands from these users check in as this person.
    public var slack: String?
    public var mattermost: String?
    public var discord: String?
    /// A LINE user id (`U` and 32 hex digits) and a Lark / Feishu open_id (`ou_…`): messages to
    /// the bot from these users check in as this person.
    public var line: String?
    public var lark: String?
    /// Where reminders, follow-ups and escalations reach this person.
    public var notify: [Channel] = []
    /// When not to send them anything, in their own zone (nil: `[narrate] quiet_hours`).
    public var quietHours: QuietHours?

    public init(
        id: String, name: String, timeZone: String? = nil, git: [String] = [], github: String? = nil,
        unixUser: String? = nil, slack: String? = nil, mattermost: String? = nil, discord: String? = nil
    ) {
        self.id = id
        self.name = name
        self.timeZone = timeZone
        self.git = git
        self.github = github
        self.unixUser = unixUser
        self.slack = slack
        self.mattermost = mattermost
        self.discord = discord
    }
}
