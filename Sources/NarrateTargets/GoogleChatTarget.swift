import NarrateModel
import NarrateReport
import Foundation

/// Google Chat space webhooks: `{"text"}`; errors are `{"error": {"message", "status"}}`.
struct GoogleChatTarget: TargetDescriptor {
    var kind: Target.Kind { .googleChat }
    var keys: TargetKeys { TargetKeys(required: ["url"], secrets: ["url"]) }
    var dialect: Dialect { .googleChat }
    var defaultRate: Double { 1 }

    func endpoint(_ values: TargetValues) -> Endpoint { .webhookURL(values.secret("url")) }

    func action(for part: Delivery, to target: Target, context: DeliveryContext) throws -> DeliveryAction {
        .http(request(
            url: try context.reveal(target.endpoint.url(of: target)),
            headers: [("Content-Type", "application/json; charset=UTF-8")], body: json(["text": part.body]), target: target))
    }

    func classify(_ response: HTTPResponse, for part: Delivery, now: Date) -> AttemptOutcome {
        standardOutcome(
            response, now: now,
            errorText: { response in
                guard let error = response.jsonObject?["error"] as? [String: Any] else { return nil }
                return [error["status"] as? String, error["message"] as? String].compactMap { $0 }.joined(separator: ": ")
            },
            receipt: { $0.jsonObject?["name"] as? String })
    }
}
