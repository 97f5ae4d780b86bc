import Foundation
import NarrateModel
import NarrateReport

/// A WeCom (企業微信) group robot: `POST …/cgi-bin/webhook/send?key=KEY` (the URL, with its key,
/// is the secret) with a `markdown` message of at most 4,096 bytes of UTF-8: a Chinese report
/// reaches it in a third of the characters. WeCom answers `errcode` 0; another is an error in a
/// 200 body.
struct WeComTarget: TargetDescriptor {
    var kind: Target.Kind { .wecom }
    var keys: TargetKeys { TargetKeys(required: ["url"], secrets: ["url"]) }
    var dialect: Dialect { .wecom }
    /// Documented: 20 messages a minute per robot.
    var defaultRate: Double { 20.0 / 60 }

    func endpoint(_ values: TargetValues) -> Endpoint { .webhookURL(values.secret("url")) }

    func action(for part: Delivery, to target: Target, context: DeliveryContext) throws -> DeliveryAction {
        guard case .webhookURL(let url) = target.endpoint else { throw NarrateError(.internal, "target \(target.id) is not a wecom target") }
        return .http(request(
            url: try context.reveal(url), headers: [("Content-Type", "application/json")],
            body: json(Message(markdown: .init(content: part.body))), target: target))
    }

    func classify(_ response: HTTPResponse, for part: Delivery, now: Date) -> AttemptOutcome {
        // 45009: over the robot's rate; a minute restores it.
        bodyCodeOutcome(response, now: now, code: ["errcode"], message: ["errmsg"], waits: [45009: 60])
    }

    struct Message: Encodable {
        struct Markdown: Encodable { var content: String }
        var msgtype = "markdown"
        var markdown: Markdown
    }
}
