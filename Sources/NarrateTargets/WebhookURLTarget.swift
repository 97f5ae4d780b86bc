import NarrateModel
import NarrateReport
import Foundation

/// Incoming webhooks that take `{"text"}` at a URL that is itself the credential: Slack
/// (answers `200 ok` or a short error word) and Mattermost (errors are `{"message"}`).
struct WebhookURLTarget: TargetDescriptor {
    let kind: Target.Kind
    let dialect: Dialect
    let defaultRate: Double
    let errorText: @Sendable (HTTPResponse) -> String?
    var keys: TargetKeys { TargetKeys(required: ["url"], secrets: ["url"]) }

    func endpoint(_ values: TargetValues) -> Endpoint { .webhookURL(values.secret("url")) }

    func action(for part: Delivery, to target: Target, context: DeliveryContext) throws -> DeliveryAction {
        .http(request(
            url: try context.reveal(target.endpoint.url(of: target)), headers: [("Content-Type", "application/json")],
            body: json(["text": part.body]), target: target))
    }

    func classify(_ response: HTTPResponse, for part: Delivery, now: Date) -> AttemptOutcome {
        standardOutcome(response, now: now, errorText: errorText)
    }
}

extension Endpoint {
    /// The URL secret of a URL-shaped endpoint.
    func url(of target: Target) throws -> Secret {
        switch self {
        case .webhookURL(let url), .signedWebhook(let url, _): return url
        default: throw NarrateError(.internal, "target \(target.id): a \(target.kind.rawValue) target has no url")
        }
    }
}
