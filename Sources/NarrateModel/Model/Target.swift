/// Where a report goes: a chat webhook, a file, the terminal.
public struct Target: Sendable, Equatable {
    public enum Kind: String, Sendable, CaseIterable {
        case slack, discord, mattermost, teams
        case googleChat = "google-chat"
        case telegram, matrix, zulip, ntfy, webhook, email, file, stdout
        /// A Slack app's bot token: `chat.postMessage` to a channel or, as a personal channel, to a user.
        case slackBot = "slack-bot"
        /// LINE Messaging API push to a user, group or room.
        case line
        /// A Lark custom bot (Lark is Feishu outside China: the same API on another host).
        case lark, feishu
        /// A DingTalk custom robot.
        case dingtalk
        /// A WeCom (企業微信) group robot.
        case wecom

    }

    /// Keys every target kind accepts.
    public static let commonKeys = ["limit", "rate", "timeout", "ca_file", "mentions", "retries", "give_up_after"]

    public var id: String
    public var kind: Kind
    /// The kind's own settings and secrets.
    public var endpoint: Endpoint
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
        id: String, kind: Kind, endpoint: Endpoint, limit: Int? = nil, rate: Double? = nil, timeout: Double? = nil,
        caFile: String? = nil, mentions: Bool = false
    ) {
        self.id = id
        self.kind = kind
        self.endpoint = endpoint
        self.limit = limit
        self.rate = rate
        self.timeout = timeout
        self.caFile = caFile
        self.mentions = mentions
    }

    /// Seconds a request may take.
    public var effectiveTimeout: Double { timeout ?? 30 }

    /// The secrets this target needs, to resolve and register before anything is sent.
    public var secrets: [Secret] { endpoint.secrets }
}

/// A target kind's own settings, typed. Each descriptor reads and uses one shape.
public enum Endpoint: Sendable, Equatable {
    /// A webhook whose whole URL is the credential (Slack, Discord, Mattermost, Teams, Google Chat, ntfy).
    case webhookURL(Secret)
    /// A Standard Webhooks receiver; `secret` is the `whsec_` signing key.
    case signedWebhook(url: Secret, secret: Secret?)
    case telegram(api: String, token: Secret, chatID: String)
    case matrix(homeserver: String, room: String, token: Secret)
    case zulip(site: String, email: String, apiKey: Secret, stream: String, topic: String)
    /// A Slack bot (`chat.postMessage`); `channel` is where reports go (empty: personal channels only).
    case slackBot(api: String, token: Secret, channel: String)
    /// A LINE channel's access token; `to` is the user, group or room id pushed to.
    case line(api: String, token: Secret, to: String)
    /// An SMTP account: `smtp://host:587` (STARTTLS) or `smtps://host:465`.
    case email(url: String, from: String, to: [String], username: String?, password: Secret?, requireTLS: Bool)
    /// A path pattern with `{team}`, `{date}` and `{schedule}`; relative paths are under the state dir.
    case file(path: String)
    case stdout

    public var secrets: [Secret] {
        switch self {
        case .webhookURL(let url): [url]
        case .signedWebhook(let url, let secret): [url] + (secret.map { [$0] } ?? [])
        case .telegram(_, let token, _): [token]
        case .matrix(_, _, let token): [token]
        case .zulip(_, _, let apiKey, _, _): [apiKey]
        case .email(_, _, _, _, let password, _): password.map { [$0] } ?? []
        case .slackBot(_, let token, _): [token]
        case .line(_, let token, _): [token]
        case .file, .stdout: []
        }
    }
}
