import NarrateModel
import NarrateReport
import Foundation

/// Discord webhooks: `{"content", "allowed_mentions": {"parse": []}}` with `?wait=true`, so the
/// answer carries the message id; 429 bodies carry `retry_after` in (fractional) seconds.
struct DiscordTarget: TargetDescriptor {
    var kind: Target.Kind { .discord }
    var keys: TargetKeys { TargetKeys(required: ["url"], secrets: ["url"]) }
    var dialect: Dialect { .discord }
    var defaultRate: Double { 1 }

    func endpoint(_ values: TargetValues) -> Endpoint { .webhookURL(values.secret("url")) }

    func action(for part: Delivery, to target: Target, context: DeliveryContext) throws -> DeliveryAction {
        var url = try context.reveal(target.endpoint.url(of: target))
        url += url.contains("?") ? "&wait=true" : "?wait=true"
        // No mentions are parsed: a report that names @everyone pings nobody.
        let body = json(Message(content: part.body, allowed_mentions: .init(parse: [])))
        return .http(request(url: url, headers: [("Content-Type", "application/json")], body: body, target: target))
    }

    func classify(_ response: HTTPResponse, for part: Delivery, now: Date) -> AttemptOutcome {
        standardOutcome(
            response, now: now,
            errorText: { response in
                guard let json = response.jsonObject else { return nil }
                var text = json["message"] as? String ?? ""
                // Field errors sit deep: {"errors": {"content": {"_errors": [{"message": …}]}}}
                if let errors = json["errors"] as? [String: Any] {
                    for (field, value) in errors.sorted(by: { $0.key < $1.key }) {
                        let messages = ((value as? [String: Any])?["_errors"] as? [[String: Any]] ?? []).compactMap { $0["message"] as? String }
                        if !messages.isEmpty { text += " (\(field): \(messages.joined(separator: "; ")))" }
                    }
                }
                return text
            },
            wait: { $0.jsonObject?["retry_after"] as? Double },
            receipt: { $0.jsonObject?["id"] as? String })
    }

    /// The body of `POST /webhooks/{id}/{token}`.
    struct Message: Encodable {
        struct AllowedMentions: Encodable { var parse: [String] }
        var content: String
        var allowed_mentions: AllowedMentions
    }
}
