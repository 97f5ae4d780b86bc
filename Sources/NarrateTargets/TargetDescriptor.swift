import NarrateModel
import NarrateReport
import Foundation

/// Everything narrate knows about one target kind, in one place: the config keys it takes and
/// which of them are secrets, the dialect it speaks (with its limit and the unit of that limit),
/// its default rate, how a part becomes a request, and what a response means. No other code
/// switches over target kinds.
public protocol TargetDescriptor: Sendable {
    var kind: Target.Kind { get }
    var keys: TargetKeys { get }
    var dialect: Dialect { get }
    /// Messages per second when the target sets no `rate`: the platform's published limit.
    var defaultRate: Double { get }
    /// The typed settings, from the values the config gave (missing required keys are reported
    /// by the config loader; the endpoint is then built with empty values and never used).
    func endpoint(_ values: TargetValues) -> Endpoint
    /// What delivering one part means: a request, a file write, a line on stdout.
    func action(for part: Delivery, to target: Target, context: DeliveryContext) throws -> DeliveryAction
    /// What a response to that request means. Only called for `.http` actions.
    func classify(_ response: HTTPResponse, for part: Delivery, now: Date) -> AttemptOutcome
    /// Values that can never work, as (key, message), for `narrate check`.
    func problems(_ values: TargetValues) -> [(key: String, message: String)]
    /// Why `address` cannot be a person's address on a target of this kind (a personal
    /// ``Channel``), or nil when it can. Kinds that post to a room cannot reach one person.
    func personalAddressProblem(_ address: String) -> String?
}

/// The keys a kind takes besides ``Target/commonKeys``; secrets also take `_env` and `_file` forms.
public struct TargetKeys: Sendable {
    public var required: [String]
    public var optional: [String]
    public var secrets: Set<String>
    /// Keys whose value is a list of strings.
    public var lists: Set<String>

    public init(required: [String], optional: [String] = [], secrets: Set<String> = [], lists: Set<String> = []) {
        self.required = required
        self.optional = optional
        self.secrets = secrets
        self.lists = lists
    }
}

/// The values of a target table as the config loader read them, before they become an ``Endpoint``.
public struct TargetValues: Sendable {
    public var strings: [String: String] = [:]
    public var secrets: [String: Secret] = [:]
    public var lists: [String: [String]] = [:]

    public init(strings: [String: String] = [:], secrets: [String: Secret] = [:]) {
        self.strings = strings
        self.secrets = secrets
    }

    func string(_ key: String) -> String { strings[key] ?? "" }
    func secret(_ key: String) -> Secret { secrets[key] ?? .plain("") }
}

/// What building a request may need besides the part.
public struct DeliveryContext: Sendable {
    public var report: ReportRecord
    public var now: Date
    /// Where relative file paths live.
    public var stateDir: String
    /// The zone of the report's team (the `{date}` of a file path).
    public var zone: TimeZone
    /// Reads a secret's value (and registers it with the redactor).
    public var reveal: @Sendable (Secret) throws -> String
    /// Registers a credential derived from secrets (an encoded `Authorization` value) with the
    /// redactor, so it is caught if a platform quotes it back.
    public var protect: @Sendable (String) -> Void

    public init(
        report: ReportRecord, now: Date, stateDir: String, zone: TimeZone,
        reveal: @escaping @Sendable (Secret) throws -> String, protect: @escaping @Sendable (String) -> Void
    ) {
        self.report = report
        self.now = now
        self.stateDir = stateDir
        self.zone = zone
        self.reveal = reveal
        self.protect = protect
    }
}

/// What delivering one part amounts to. The courier performs it; `--dry-run` prints it.
public enum DeliveryAction: Sendable {
    case http(HTTPRequest)
    case writeFile(path: String, text: String)
    case print(String)
}

/// What one attempt to deliver a part came to.
public enum AttemptOutcome: Sendable, Equatable {
    case sent(receipt: String?)
    /// A network error, timeout, 5xx, 408 or 429: try again, after the target's wait if it named one.
    case retry(after: TimeInterval?, error: String)
    /// The target refused the part for good (another 4xx): its own error text.
    case park(error: String)
    /// Telegram moved the chat; send again to the new id.
    case reroute(String, error: String)
}

/// The descriptors of every kind, by kind.
public enum TargetDescriptors {
    public static let all: [any TargetDescriptor] = [
        WebhookURLTarget(kind: .slack, dialect: .slack, defaultRate: 1, errorText: { $0.text }),
        DiscordTarget(),
        WebhookURLTarget(kind: .mattermost, dialect: .mattermost, defaultRate: 5, errorText: { $0.jsonObject?["message"] as? String }),
        TeamsTarget(),
        GoogleChatTarget(),
        TelegramTarget(),
        EmailTarget(),
        SlackBotTarget(),
        MatrixTarget(),
        ZulipTarget(),
        NtfyTarget(),
        WebhookTarget(),
        LineTarget(),
        LarkTarget(kind: .lark),
        LarkTarget(kind: .feishu),
        DingTalkTarget(),
        WeComTarget(),
        FileTarget(),
        StdoutTarget(),
    ]

    public static let byKind: [Target.Kind: any TargetDescriptor] = Dictionary(
        uniqueKeysWithValues: all.map { ($0.kind, $0) })
}

extension TargetDescriptor {
    public func problems(_ values: TargetValues) -> [(key: String, message: String)] { [] }

    public func personalAddressProblem(_ address: String) -> String? {
        "a \(kind.rawValue) target cannot reach one person; use an email, slack-bot, matrix, telegram or ntfy target"
    }

    /// A request with the target's timeouts and CA.
    func request(
        _ method: String = "POST", url: String, headers: [(String, String)], body: Data, target: Target
    ) -> HTTPRequest {
        HTTPRequest(
            method: method, url: url, headers: headers, body: body, timeout: target.effectiveTimeout,
            connectTimeout: min(10, target.effectiveTimeout), caFile: target.caFile)
    }

    /// The rules every platform shares: 2xx is success, 408/429/5xx are retried (honouring
    /// `Retry-After` or the platform's own wait), other statuses park with the platform's text.
    func standardOutcome(
        _ response: HTTPResponse, now: Date, errorText: (HTTPResponse) -> String?,
        wait: (HTTPResponse) -> TimeInterval? = { _ in nil }, receipt: (HTTPResponse) -> String? = { _ in nil }
    ) -> AttemptOutcome {
        let status = response.status
        if (200..<300).contains(status) { return .sent(receipt: receipt(response)) }
        let text = OneLine.clean(errorText(response) ?? response.text)
        let message = "HTTP \(status)" + (text.isEmpty ? "" : ": \(text)")
        if status == 408 || status == 429 || status >= 500 {
            return .retry(after: wait(response) ?? RetryAfter.parse(response.header("retry-after"), now: now), error: message)
        }
        return .park(error: message)
    }

    /// Platforms that answer HTTP 200 with an error code in the body (Lark, DingTalk, WeCom): a
    /// code other than 0 is classified like an HTTP error, in the platform's words. A code in
    /// `waits` (a frequency limit) is retried after that many seconds; any other parks (a
    /// signature, keyword or IP rule, a wrong key: waiting does not fix them).
    func bodyCodeOutcome(
        _ response: HTTPResponse, now: Date, code codeKeys: [String], message messageKeys: [String], waits: [Int: TimeInterval]
    ) -> AttemptOutcome {
        let json = response.jsonObject
        let code = codeKeys.lazy.compactMap { json?[$0] as? Int }.first ?? 0
        let text = messageKeys.lazy.compactMap { json?[$0] as? String }.first ?? ""
        guard (200..<300).contains(response.status), code != 0 else {
            return standardOutcome(response, now: now, errorText: { _ in text.isEmpty ? nil : "\(text) (\(codeKeys[0]) \(code))" })
        }
        let error = "\(kind.rawValue) \(codeKeys[0]) \(code): \(OneLine.clean(text))"
        return waits[code].map { .retry(after: $0, error: error) } ?? .park(error: error)
    }

    /// A request body: compact JSON with sorted keys and unescaped slashes.
    func json(_ value: some Encodable) -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        // Only strings, numbers, booleans and nested bodies: nothing that can fail to encode.
        return (try? encoder.encode(value)) ?? Data("{}".utf8)
    }

    /// A base URL without its trailing slash, so paths can be appended.
    func trimmingSlash(_ url: String) -> String {
        url.hasSuffix("/") ? String(url.dropLast()) : url
    }
}

/// `Retry-After` as seconds or an HTTP date.
public enum RetryAfter {
    public static func parse(_ value: String?, now: Date) -> TimeInterval? {
        guard let value = value?.trimmingCharacters(in: .whitespaces), !value.isEmpty else { return nil }
        if let seconds = Double(value), seconds >= 0 { return seconds }
        guard let date = HTTPDate.date(from: value) else { return nil }
        return max(0, date.timeIntervalSince(now))
    }
}
