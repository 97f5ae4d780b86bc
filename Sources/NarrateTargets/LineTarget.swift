import Crypto
import Foundation
import NarrateModel
import NarrateReport

/// LINE Messaging API push (`POST /v2/bot/message/push`): one plain-text message a part, to a
/// user, group or room id, with the channel access token. Every send carries `X-Line-Retry-Key`,
/// the same for every attempt of a part, so a resend after a crash or a timeout is accepted at
/// most once: LINE answers a key it has already accepted with 409, which means sent.
/// docs/delivery.md cites the documentation for each of these.
struct LineTarget: TargetDescriptor {
    var kind: Target.Kind { .line }
    var keys: TargetKeys { TargetKeys(required: ["token", "to"], optional: ["api"], secrets: ["token"]) }
    var dialect: Dialect { .line }
    /// The push endpoint's documented limit is 2,000 requests a second a channel; a report is a
    /// few parts, so narrate keeps to 10.
    var defaultRate: Double { 10 }

    func personalAddressProblem(_ address: String) -> String? {
        Self.idProblem(address)
    }

    func problems(_ values: TargetValues) -> [(key: String, message: String)] {
        let to = values.string("to")
        return to.isEmpty ? [] : Self.idProblem(to).map { [("to", $0)] } ?? []
    }

    /// Why `text` is not a LINE user, group or room id, or nil when it is one.
    static func idProblem(_ text: String) -> String? {
        if let first = text.first, "UCR".contains(first), text.count == 33, text.dropFirst().allSatisfy(\.isHexDigit) { return nil }
        return "\"\(text)\" is not a LINE user, group or room id (U…, C… or R… and 32 hex digits)"
    }

    func endpoint(_ values: TargetValues) -> Endpoint {
        .line(api: values.strings["api"] ?? "https://api.line.me", token: values.secret("token"), to: values.string("to"))
    }

    func action(for part: Delivery, to target: Target, context: DeliveryContext) throws -> DeliveryAction {
        guard case .line(let api, let tokenSecret, let to) = target.endpoint else {
            throw NarrateError(.internal, "target \(target.id) is not a line target")
        }
        let token = try context.reveal(tokenSecret)
        let body = Push(to: part.route ?? to, messages: [.init(text: part.body)])
        return .http(request(
            url: "\(trimmingSlash(api))/v2/bot/message/push",
            headers: [
                ("Content-Type", "application/json"), ("Authorization", "Bearer \(token)"),
                ("X-Line-Retry-Key", Self.retryKey(part, report: context.report)),
            ],
            body: json(body), target: target))
    }

    /// A UUID made from the part: the same on every attempt, different for every part of every
    /// report, and for two installations posting to one channel (their reports' times and
    /// teams differ even where their ids do not).
    static func retryKey(_ part: Delivery, report: ReportRecord) -> String {
        let seed = "\(part.idempotencyKey)|\(report.team)|\(report.createdAt.timeIntervalSince1970)|\(part.body.utf8.count)"
        var bytes = Array(SHA256.hash(data: Data(seed.utf8)).prefix(16))
        bytes[6] = (bytes[6] & 0x0F) | 0x40  // version 4 layout, as LINE asks for a UUID
        bytes[8] = (bytes[8] & 0x3F) | 0x80
        let hex = bytes.map { String(format: "%02x", $0) }.joined()
        let cuts = [8, 12, 16, 20].map { hex.index(hex.startIndex, offsetBy: $0) }
        return [hex[..<cuts[0]], hex[cuts[0]..<cuts[1]], hex[cuts[1]..<cuts[2]], hex[cuts[2]..<cuts[3]], hex[cuts[3]...]].joined(separator: "-")
    }

    func classify(_ response: HTTPResponse, for part: Delivery, now: Date) -> AttemptOutcome {
        let json = response.jsonObject
        // An earlier attempt with this key was accepted (its answer was lost to a crash or a timeout).
        if response.status == 409, response.header("x-line-accepted-request-id") != nil {
            return .sent(receipt: response.header("x-line-accepted-request-id"))
        }
        let message = json?["message"] as? String
        // The month's message allowance is spent: no retry succeeds before the next month.
        if response.status == 429, let message, message.lowercased().contains("monthly limit") {
            return .park(error: "HTTP 429: \(message) (the LINE Official Account's monthly messages are used up)")
        }
        let details = (json?["details"] as? [[String: Any]])?.compactMap { detail in
            (detail["message"] as? String).map { "\(detail["property"] as? String ?? ""): \($0)" }
        } ?? []
        return standardOutcome(
            response, now: now, errorText: { _ in ([message].compactMap { $0 } + details).joined(separator: "; ") },
            receipt: { $0.header("x-line-request-id") })
    }

    struct Push: Encodable {
        struct Text: Encodable {
            var type = "text"
            var text: String
        }
        var to: String
        var messages: [Text]
    }
}
