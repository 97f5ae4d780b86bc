import Crypto
import Foundation

/// A generic JSON webhook signed the Standard Webhooks way: `webhook-id` (the same on every
/// resend, so receivers can dedupe), `webhook-timestamp`, and
/// `webhook-signature: v1,<base64 HMAC-SHA256(id.timestamp.body)>` keyed with the `whsec_` secret.
struct WebhookTarget: ChatTarget {
    func request(for delivery: Delivery, context: DeliveryContext) throws -> HTTPClient.Request {
        let iso = ISO8601DateFormatter()
        let payload: [String: Any] = [
            "type": "narrate.report", "team": context.report.team, "schedule": context.report.schedule ?? NSNull(),
            "period": ["start": iso.string(from: context.report.periodStart), "end": iso.string(from: context.report.periodEnd)],
            "report": context.report.id, "part": delivery.part, "parts": delivery.parts, "markdown": delivery.body,
        ]
        let body = context.json(payload)
        let id = delivery.idempotencyKey
        let timestamp = String(Int(context.now.timeIntervalSince1970))
        var headers = [("Content-Type", "application/json"), ("webhook-id", id), ("webhook-timestamp", timestamp)]
        if context.target.secrets["secret"] != nil {
            let key = try Self.key(try context.secret("secret"), target: context.target.id)
            let signed = Data("\(id).\(timestamp).".utf8) + body
            let mac = HMAC<SHA256>.authenticationCode(for: signed, using: SymmetricKey(data: key))
            headers.append(("webhook-signature", "v1,\(Data(mac).base64EncodedString())"))
        }
        return context.request(url: try context.secret("url"), headers: headers, body: body)
    }

    /// The key bytes of a `whsec_<base64>` secret.
    static func key(_ secret: String, target: String) throws -> Data {
        let encoded = secret.hasPrefix("whsec_") ? String(secret.dropFirst(6)) : secret
        guard let key = Data(base64Encoded: encoded), !key.isEmpty else {
            throw NarrateError("target \(target): secret is not a whsec_ base64 key")
        }
        return key
    }

    func outcome(of response: HTTPClient.Response, for delivery: Delivery) -> AttemptOutcome {
        standardOutcome(response, errorText: { $0.text })
    }
}
