/// Microsoft Teams through a Workflows webhook: a message with one Adaptive Card whose body is
/// a TextBlock per block of the part. Workflows answers 202 Accepted.
struct TeamsTarget: ChatTarget {
    func request(for delivery: Delivery, context: DeliveryContext) throws -> HTTPClient.Request {
        let blocks = delivery.body.components(separatedBy: "\n\n").filter { !$0.isEmpty }.map { text -> [String: Any] in
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
        return context.request(
            url: try context.secret("url"), headers: [("Content-Type", "application/json")], body: context.json(message))
    }

    func outcome(of response: HTTPClient.Response, for delivery: Delivery) -> AttemptOutcome {
        standardOutcome(response, errorText: { ((jsonObject($0)?["error"] as? [String: Any])?["message"] as? String) })
    }
}

import Foundation
