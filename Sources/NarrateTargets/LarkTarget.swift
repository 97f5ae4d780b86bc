import Crypto
import Foundation
import NarrateModel
import NarrateReport

/// A Lark or Feishu custom bot's webhook: an interactive card whose one element is Lark
/// Markdown. With a `secret` (the bot's signature verification), the body carries `timestamp`
/// (seconds) and `sign`: base64 of HMAC-SHA256 keyed with `timestamp + "\n" + secret` over an
/// empty message (DingTalk signs the other way round). Lark answers HTTP 200 with `code` 0;
/// another `code` is an error in a 200 body, classified like an HTTP one.
struct LarkTarget: TargetDescriptor {
    let kind: Target.Kind
    var keys: TargetKeys { TargetKeys(required: ["url"], optional: ["secret"], secrets: ["url", "secret"]) }
    var dialect: Dialect { .lark }
    /// Documented: 100 requests a minute and 5 a second per bot.
    var defaultRate: Double { 100.0 / 60 }

    func endpoint(_ values: TargetValues) -> Endpoint {
        .signedWebhook(url: values.secret("url"), secret: values.secrets["secret"])
    }

    func action(for part: Delivery, to target: Target, context: DeliveryContext) throws -> DeliveryAction {
        guard case .signedWebhook(let urlSecret, let signingSecret) = target.endpoint else {
            throw NarrateError(.internal, "target \(target.id) is not a \(kind.rawValue) target")
        }
        var message = Message(card: .init(elements: [.init(content: part.body)]))
        if let signingSecret {
            let timestamp = String(Int(context.now.timeIntervalSince1970))
            message.timestamp = timestamp
            message.sign = Self.sign(timestamp: timestamp, secret: try context.reveal(signingSecret))
        }
        return .http(request(url: try context.reveal(urlSecret), headers: [("Content-Type", "application/json")], body: json(message), target: target))
    }

    static func sign(timestamp: String, secret: String) -> String {
        let key = SymmetricKey(data: Data("\(timestamp)\n\(secret)".utf8))
        return Data(HMAC<SHA256>.authenticationCode(for: Data(), using: key)).base64EncodedString()
    }

    func classify(_ response: HTTPResponse, for part: Delivery, now: Date) -> AttemptOutcome {
        // `StatusCode` and `StatusMessage`: the older answer's names.
        bodyCodeOutcome(response, now: now, code: ["code", "StatusCode"], message: ["msg", "StatusMessage"], waits: Self.throttled)
    }

    /// `too many request` and `frequency limited` pass within a minute.
    static let throttled: [Int: TimeInterval] = [9499: 60, 11232: 60, 11233: 60]

    struct Message: Encodable {
        struct Card: Encodable {
            struct Element: Encodable {
                var tag = "markdown"
                var content: String
            }
            var elements: [Element]
        }
        var timestamp: String?
        var sign: String?
        var msg_type = "interactive"
        var card: Card
    }
}
