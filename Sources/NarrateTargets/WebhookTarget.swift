import NarrateModel
import NarrateReport
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
        let payload = Payload(
            team: report.team, schedule: report.schedule,
            period: ["start": iso.string(from: report.periodStart), "end": iso.string(from: report.periodEnd)],
            report: report.id, part: part.part, parts: part.parts, markdown: part.body)
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

    /// The documented body (docs/delivery.md): `schedule` is null for a report made by hand.
    struct Payload: Encodable {
        var type = "narrate.report"
        var team: String
        var schedule: String?
        var period: [String: String]
        var report: Int64
        var part: Int
        var parts: Int
        var markdown: String
        enum CodingKeys: String, CodingKey { case type, team, schedule, period, report, part, parts, markdown }
        func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(type, forKey: .type)
            try container.encode(team, forKey: .team)
            try container.encode(schedule, forKey: .schedule)
            try container.encode(period, forKey: .period)
            try container.encode(report, forKey: .report)
            try container.encode(part, forKey: .part)
            try container.encode(parts, forKey: .parts)
            try container.encode(markdown, forKey: .markdown)
        }
    }
}
