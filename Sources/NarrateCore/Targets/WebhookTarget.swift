import Crypto
import Foundation

/// A generic JSON webhook signed the Standard Webhooks way: `webhook-id` (the same on every
/// resend, so receivers can dedupe), `webhook-timestamp`, and
/// `webhook-signature: v1,<base64 HMAC-SHA256(id.timestamp.body)>` keyed with the `whsec_` secret.
struct WebhookTarget: TargetDescriptor {
    var kind: Target.Kind { .webhook }
    var keys: TargetKeys { TargetKeys(required: ["url"], optional: ["secret"], secrets: ["url", "secret"]) }
    var dialect: Dialect { .commonmark }
    var defaultRate: Double { 5 }

    func endpoint(_ values: TargetValues) -> Endpoint {
        .signedWebhook(url: values.secret("url"), secret: values.secrets["secret"])
    }

    func action(for part: Delivery, to target: Target, context: DeliveryContext) throws -> DeliveryAction {
        guard case .signedWebhook(let urlSecret, let signingSecret) = target.endpoint else {
            throw NarrateError(.internal, "target \(target.id) is not a webhook target")
        }
        let iso = ISO8601DateFormatter()
        let report = context.report
        let payload: [String: Any] = [
            "type": "narrate.report", "team": report.team, "schedule": report.schedule ?? NSNull(),
            "period": ["start": iso.string(from: report.periodStart), "end": iso.string(from: report.periodEnd)],
            "report": report.id, "part": part.part, "parts": part.parts, "markdown": part.body,
        ]
        let body = json(payload)
        let id = part.idempotencyKey
        let timestamp = String(Int(context.now.timeIntervalSince1970))
        var headers = [("Content-Type", "application/json"), ("webhook-id", id), ("webhook-timestamp", timestamp)]
        if let signingSecret {
            let key = try Self.key(try context.reveal(signingSecret), target: target.id)
            let signed = Data("\(id).\(timestamp).".utf8) + body
            let mac = HMAC<SHA256>.authenticationCode(for: signed, using: SymmetricKey(data: key))
            headers.append(("webhook-signature", "v1,\(Data(mac).base64EncodedString())"))
        }
        return .http(request(url: try context.reveal(urlSecret), headers: headers, body: body, target: target))
    }

    /// The key bytes of a `whsec_<base64>` secret.
    static func key(_ secret: String, target: String) throws -> Data {
        guard let key = WebhookSigningKey.bytes(secret) else {
            throw NarrateError(.invalidInput, "target \(target): secret is not a whsec_ base64 key")
        }
        return key
    }


    func classify(_ response: HTTPResponse, for part: Delivery, now: Date) -> AttemptOutcome {
        standardOutcome(response, now: now, errorText: { $0.text })
    }
}
