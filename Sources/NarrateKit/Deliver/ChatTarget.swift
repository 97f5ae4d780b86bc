import Foundation

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

/// A chat system's webhook protocol: how a part becomes a request, and what a response means.
protocol ChatTarget: Sendable {
    func request(for delivery: Delivery, context: DeliveryContext) throws -> HTTPClient.Request
    func outcome(of response: HTTPClient.Response, for delivery: Delivery) -> AttemptOutcome
}

/// What a request may need besides the part: the target's settings and secrets, the report.
struct DeliveryContext: Sendable {
    var target: Target
    var report: ReportRecord
    var environment: [String: String]
    var now: Date

    func secret(_ key: String) throws -> String {
        guard let secret = target.secrets[key] else { throw NarrateError("target \(target.id) has no \(key)") }
        do {
            return try secret.resolve(environment: environment)
        } catch let error as NarrateError {
            throw NarrateError("target \(target.id): \(key) from \(secret): \(error.message)")
        }
    }

    func setting(_ key: String) throws -> String {
        guard let value = target.settings[key] else { throw NarrateError("target \(target.id) has no \(key)") }
        return value
    }

    func request(_ method: String = "POST", url: String, headers: [(String, String)], body: Data) -> HTTPClient.Request {
        HTTPClient.Request(
            method: method, url: url, headers: headers, body: body, timeout: target.timeout ?? 30,
            connectTimeout: min(10, target.timeout ?? 10), caFile: target.caFile)
    }

    /// A base URL without its trailing slash, so paths can be appended.
    static func trimmingSlash(_ url: String) -> String {
        url.hasSuffix("/") ? String(url.dropLast()) : url
    }

    func json(_ value: Any) -> Data {
        (try? JSONSerialization.data(withJSONObject: value, options: [.sortedKeys, .withoutEscapingSlashes])) ?? Data()
    }
}

extension ChatTarget {
    /// The rules every platform shares: 2xx is success, 408/429/5xx are retried (honouring
    /// `Retry-After` or the platform's own wait), other statuses park with the platform's text.
    func standardOutcome(
        _ response: HTTPClient.Response, errorText: (HTTPClient.Response) -> String?,
        wait: (HTTPClient.Response) -> TimeInterval? = { _ in nil }, receipt: (HTTPClient.Response) -> String? = { _ in nil }
    ) -> AttemptOutcome {
        let status = response.status
        if (200..<300).contains(status) { return .sent(receipt: receipt(response)) }
        let text = Self.clean(errorText(response) ?? response.text)
        let message = "HTTP \(status)" + (text.isEmpty ? "" : ": \(text)")
        if status == 408 || status == 429 || status >= 500 {
            return .retry(after: wait(response) ?? RetryAfter.parse(response.header("retry-after")), error: message)
        }
        return .park(error: message)
    }

    /// One line, at most 300 characters, for logs and `narrate deliveries`.
    static func clean(_ text: String) -> String {
        let line = String(text.unicodeScalars.map { CharacterSet.controlCharacters.contains($0) ? " " : Character($0) })
            .trimmingCharacters(in: .whitespaces)
        return line.count > 300 ? String(line.prefix(300)) + "…" : line
    }

    func jsonObject(_ response: HTTPClient.Response) -> [String: Any]? {
        (try? JSONSerialization.jsonObject(with: response.body)) as? [String: Any]
    }
}

/// `Retry-After` as seconds or an HTTP date.
enum RetryAfter {
    static func parse(_ value: String?, now: Date = Date()) -> TimeInterval? {
        guard let value = value?.trimmingCharacters(in: .whitespaces), !value.isEmpty else { return nil }
        if let seconds = Double(value), seconds >= 0 { return seconds }
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "GMT")
        formatter.dateFormat = "EEE, dd MMM yyyy HH:mm:ss zzz"
        guard let date = formatter.date(from: value) else { return nil }
        return max(0, date.timeIntervalSince(now))
    }
}

/// A URL as it may appear in logs and errors: scheme, host and first path segment only.
public enum RedactedURL {
    public static func describe(_ url: String) -> String {
        guard let components = URLComponents(string: url), let scheme = components.scheme, let host = components.host else {
            return "(invalid URL)"
        }
        let port = components.port.map { ":\($0)" } ?? ""
        let first = components.path.split(separator: "/").first.map { "/\($0)" } ?? ""
        let more = components.path.split(separator: "/").count > 1 || components.query != nil ? "/…" : ""
        return "\(scheme)://\(host)\(port)\(first)\(more)"
    }
}

extension Target.Kind {
    /// The protocol for a chat kind; nil for `file` and `stdout`, which need no HTTP.
    var chatTarget: (any ChatTarget)? {
        switch self {
        case .slack: SlackTarget()
        case .discord: DiscordTarget()
        case .mattermost: MattermostTarget()
        case .teams: TeamsTarget()
        case .googleChat: GoogleChatTarget()
        case .telegram: TelegramTarget()
        case .matrix: MatrixTarget()
        case .zulip: ZulipTarget()
        case .ntfy: NtfyTarget()
        case .webhook: WebhookTarget()
        case .file, .stdout: nil
        }
    }

    /// Messages per second when the target sets no `rate`: the platforms' published limits.
    var defaultRate: Double {
        switch self {
        case .slack, .discord, .googleChat, .telegram, .teams: 1
        default: 5
        }
    }
}
