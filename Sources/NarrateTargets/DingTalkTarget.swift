import Crypto
import Foundation
import NarrateModel
import NarrateReport

/// A DingTalk custom robot: a `markdown` message with a title (what the notification shows) and
/// the part in DingTalk's Markdown subset. With a `secret` (the robot's 加签 security setting),
/// the URL carries `timestamp` (milliseconds) and `sign`: base64 of HMAC-SHA256 keyed with the
/// secret over `timestamp + "\n" + secret`. `msgUuid` is the same on every attempt of a part,
/// so DingTalk takes a resend once. DingTalk answers `errcode` 0; another is an error in a 200 body.
struct DingTalkTarget: TargetDescriptor {
    var kind: Target.Kind { .dingtalk }
    var keys: TargetKeys { TargetKeys(required: ["url"], optional: ["secret"], secrets: ["url", "secret"]) }
    var dialect: Dialect { .dingtalk }
    /// Documented: 20 messages a minute per robot, then 10 minutes of refusals.
    var defaultRate: Double { 20.0 / 60 }

    func endpoint(_ values: TargetValues) -> Endpoint {
        .signedWebhook(url: values.secret("url"), secret: values.secrets["secret"])
    }

    func action(for part: Delivery, to target: Target, context: DeliveryContext) throws -> DeliveryAction {
        guard case .signedWebhook(let urlSecret, let signingSecret) = target.endpoint else {
            throw NarrateError(.internal, "target \(target.id) is not a dingtalk target")
        }
        var url = try context.reveal(urlSecret)
        if let signingSecret {
            let timestamp = String(Int64(context.now.timeIntervalSince1970 * 1000))
            let secret = try context.reveal(signingSecret)
            let mac = HMAC<SHA256>.authenticationCode(for: Data("\(timestamp)\n\(secret)".utf8), using: SymmetricKey(data: Data(secret.utf8)))
            let sign = Data(mac).base64EncodedString().addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? ""
            context.protect(sign)
            url += (url.contains("?") ? "&" : "?") + "timestamp=\(timestamp)&sign=\(sign)"
        }
        let message = Message(markdown: .init(title: Self.title(part), text: part.body), msgUuid: part.idempotencyKey)
        return .http(request(url: url, headers: [("Content-Type", "application/json")], body: json(message), target: target))
    }

    /// The first line that says something, without Markdown marks, at most 60 characters.
    static func title(_ part: Delivery) -> String {
        let line = part.body.split(separator: "\n").first { !$0.trimmingCharacters(in: .whitespaces).isEmpty } ?? "narrate"
        let plain = line.replacingOccurrences(of: "\u{2060}", with: "").filter { !"#*>".contains($0) }.trimmingCharacters(in: .whitespaces)
        return String(plain.prefix(60)) + (part.parts > 1 ? " (\(part.part)/\(part.parts))" : "")
    }

    func classify(_ response: HTTPResponse, for part: Delivery, now: Date) -> AttemptOutcome {
        // Over 20 a minute, DingTalk refuses for 10 minutes.
        bodyCodeOutcome(response, now: now, code: ["errcode"], message: ["errmsg"], waits: [130101: 600])
    }

    struct Message: Encodable {
        struct Markdown: Encodable {
            var title: String
            var text: String
        }
        var msgtype = "markdown"
        var markdown: Markdown
        var msgUuid: String
    }
}
