import NarrateModel
import NarrateReport
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
        let blocks = part.body.components(separatedBy: "\n\n").filter { !$0.isEmpty }.map { text in
            // A line that is only bold text was a heading.
            let heading = text.hasPrefix("**") && text.hasSuffix("**") && !text.contains("\n")
            return Message.TextBlock(text: text, weight: heading ? "Bolder" : nil, size: heading ? "Medium" : nil)
        }
        let message = Message(attachments: [.init(content: .init(body: blocks))])
        return .http(request(
            url: try context.reveal(target.endpoint.url(of: target)), headers: [("Content-Type", "application/json")],
            body: json(message), target: target))
    }

    func classify(_ response: HTTPResponse, for part: Delivery, now: Date) -> AttemptOutcome {
        standardOutcome(response, now: now, errorText: { (($0.jsonObject?["error"] as? [String: Any])?["message"] as? String) })
    }

    /// A message with one Adaptive Card.
    struct Message: Encodable {
        struct TextBlock: Encodable {
            var type = "TextBlock"
            var text: String
            var wrap = true
            var weight: String?
            var size: String?
        }
        struct Card: Encodable {
            var schema = "http://adaptivecards.io/schemas/adaptive-card.json"
            var type = "AdaptiveCard"
            var version = "1.4"
            var body: [TextBlock]
            enum CodingKeys: String, CodingKey {
                case schema = "$schema", type, version, body
            }
        }
        struct Attachment: Encodable {
            var contentType = "application/vnd.microsoft.card.adaptive"
            var content: Card
            enum CodingKeys: String, CodingKey { case contentType, contentUrl, content }
            func encode(to encoder: any Encoder) throws {
                var container = encoder.container(keyedBy: CodingKeys.self)
                try container.encode(contentType, forKey: .contentType)
                // Workflows' schema wants the key, null.
                try container.encodeNil(forKey: .contentUrl)
                try container.encode(content, forKey: .content)
            }
        }
        var type = "message"
        var attachments: [Attachment]
    }
}
