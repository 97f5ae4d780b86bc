import Foundation

/// Microsoft Teams through a Workflows webhook: a message with one Adaptive Card whose body is
/// a TextBlock per block of the part. Workflows answers 202 Accepted.
struct TeamsTarget: TargetDescriptor {
    var kind: Target.Kind { .teams }
    var keys: TargetKeys { TargetKeys(required: ["url"], secrets: ["url"]) }
    var dialect: Dialect { .teams }
    var defaultRate: Double { 1 }

    func endpoint(_ values: TargetValues) -> Endpoint { .webhookURL(values.secret("url")) }

    func action(for part: Delivery, to target: Target, context: DeliveryContext) throws -> DeliveryAction {
        let blocks = part.body.components(separatedBy: "\n\n").filter { !$0.isEmpty }.map { text -> [String: Any] in
            var block: [String: Any] = ["type": "TextBlock", "text": text, "wrap": true]
            // A line that is only bold text was a heading.
            if text.hasPrefix("**") && text.hasSuffix("**") && !text.contains("\n") {
                block["weight"] = "Bolder"
                block["size"] = "Medium"
            }
            return block
        }
        let card: [String: Any] = [
            "$schema": "http://adaptivecards.io/schemas/adaptive-card.json", "type": "AdaptiveCard", "version": "1.4",
            "body": blocks,
        ]
        let message: [String: Any] = [
            "type": "message",
            "attachments": [["contentType": "application/vnd.microsoft.card.adaptive", "contentUrl": NSNull(), "content": card]],
        ]
        return .http(request(
            url: try context.reveal(target.endpoint.url(of: target)), headers: [("Content-Type", "application/json")],
            body: json(message), target: target))
    }

    func classify(_ response: HTTPResponse, for part: Delivery, now: Date) -> AttemptOutcome {
        standardOutcome(response, now: now, errorText: { (($0.jsonObject?["error"] as? [String: Any])?["message"] as? String) })
    }
}
