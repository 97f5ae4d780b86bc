import NarrateModel
import NarrateReport
import Foundation

/// A Slack app's bot: `POST chat.postMessage` with `Authorization: Bearer xoxb-…`. As a report
/// target it posts to `channel`; as a personal channel the address is the user's id, which
/// Slack turns into the direct message with the bot. Slack answers 200 with `ok: false` and an
/// `error` code when it refuses; `ratelimited` comes with 429 and `Retry-After`.
struct SlackBotTarget: TargetDescriptor {
    func personalAddressProblem(_ address: String) -> String? {
        address.allSatisfy({ $0.isUppercase || $0.isNumber }) && address.count >= 3 ? nil : "\"\(address)\" is not a Slack user id (U0123ABC)"
    }

    var kind: Target.Kind { .slackBot }
    var keys: TargetKeys { TargetKeys(required: ["token"], optional: ["channel", "api"], secrets: ["token"]) }
    var dialect: Dialect { .slack }
    var defaultRate: Double { 1 }

    func endpoint(_ values: TargetValues) -> Endpoint {
        .slackBot(api: values.strings["api"] ?? "https://slack.com/api", token: values.secret("token"), channel: values.string("channel"))
    }

    func action(for part: Delivery, to target: Target, context: DeliveryContext) throws -> DeliveryAction {
        guard case .slackBot(let api, let tokenSecret, let channel) = target.endpoint else {
            throw NarrateError(.internal, "target \(target.id) is not a slack-bot target")
        }
        let destination = part.route ?? channel
        guard !destination.isEmpty else {
            throw NarrateError(.invalidInput, "target \(target.id) has no channel; set channel = \"C0123…\" to post reports with it")
        }
        let token = try context.reveal(tokenSecret)
        return .http(request(
            url: "\(trimmingSlash(api))/chat.postMessage",
            headers: [("Content-Type", "application/json; charset=utf-8"), ("Authorization", "Bearer \(token)")],
            body: json(PostMessage(channel: destination, text: part.body)), target: target))
    }

    func classify(_ response: HTTPResponse, for part: Delivery, now: Date) -> AttemptOutcome {
        let json = response.jsonObject
        if response.status == 200, json?["ok"] as? Bool != true {
            let code = json?["error"] as? String ?? "HTTP 200 without ok: true"
            return code == "ratelimited" ? .retry(after: nil, error: code) : .park(error: code)
        }
        return standardOutcome(response, now: now, errorText: { _ in json?["error"] as? String }, receipt: { _ in json?["ts"] as? String })
    }

    /// The body of `chat.postMessage`: Markdown on, no link previews.
    struct PostMessage: Encodable {
        var channel: String
        var text: String
        var mrkdwn = true
        var unfurl_links = false
    }
}
