/// Where a report goes: a chat webhook, a file, the terminal.
public struct Target: Sendable, Equatable {
    public enum Kind: String, Sendable, CaseIterable {
        case slack, discord, mattermost, teams
        case googleChat = "google-chat"
        case telegram, matrix, zulip, ntfy, webhook, file, stdout

        /// Keys this kind takes besides the common ones; secrets also take `_env` and `_file` forms.
        public var keys: (required: [String], optional: [String], secrets: Set<String>) {
            switch self {
            case .slack, .discord, .mattermost, .teams, .googleChat, .ntfy:
                return (["url"], [], ["url"])
            case .webhook:
                return (["url"], ["secret"], ["url", "secret"])
            case .telegram:
                return (["token", "chat_id"], ["api"], ["token"])
            case .matrix:
                return (["homeserver", "room", "token"], [], ["token"])
            case .zulip:
                return (["site", "email", "api_key", "stream", "topic"], [], ["api_key"])
            case .file:
                return (["path"], [], [])
            case .stdout:
                return ([], [], [])
            }
        }
    }

    /// Keys every target kind accepts.
    public static let commonKeys = ["limit", "rate", "timeout", "ca_file", "mentions", "retries", "give_up_after"]

    public var id: String
    public var kind: Kind
    /// Plain settings (`path`, `chat_id`, `room`, …) by key.
    public var settings: [String: String]
    /// Secret settings by key, resolved only when a report is delivered.
    public var secrets: [String: Secret]
    public var limit: Int?
    public var rate: Double?
    public var timeout: Double?
    public var caFile: String?
    public var mentions: Bool
    /// Attempts before a part is parked (default 8).
    public var maxAttempts: Int?
    /// Seconds after which a part that still fails is parked (default a day).
    public var maxAge: Int?

    public init(
        id: String, kind: Kind, settings: [String: String] = [:], secrets: [String: Secret] = [:],
        limit: Int? = nil, rate: Double? = nil, timeout: Double? = nil, caFile: String? = nil,
        mentions: Bool = false
    ) {
        self.id = id
        self.kind = kind
        self.settings = settings
        self.secrets = secrets
        self.limit = limit
        self.rate = rate
        self.timeout = timeout
        self.caFile = caFile
        self.mentions = mentions
    }
}
