import Foundation

/// Telegram Bot API `sendMessage` in HTML mode. Answers `{"ok": true}`; failures carry
/// `description`, 429 carries `parameters.retry_after`, a group upgraded to a supergroup carries
/// `parameters.migrate_to_chat_id`.
struct TelegramTarget: TargetDescriptor {
    var kind: Target.Kind { .telegram }
    var keys: TargetKeys { TargetKeys(required: ["token", "chat_id"], optional: ["api"], secrets: ["token"]) }
    var dialect: Dialect { .telegram }
    var defaultRate: Double { 1 }

    func endpoint(_ values: TargetValues) -> Endpoint {
        .telegram(api: values.strings["api"] ?? "https://api.telegram.org", token: values.secret("token"), chatID: values.string("chat_id"))
    }

    func action(for part: Delivery, to target: Target, context: DeliveryContext) throws -> DeliveryAction {
        guard case .telegram(let api, let tokenSecret, let chatID) = target.endpoint else {
            throw NarrateError(.internal, "target \(target.id) is not a telegram target")
        }
        let token = try context.reveal(tokenSecret)
        let chat = part.route ?? chatID
        let body: [String: Any] = [
            "chat_id": Int64(chat).map { $0 as Any } ?? chat, "text": part.body, "parse_mode": "HTML",
            "link_preview_options": ["is_disabled": true],
        ]
        return .http(request(
            url: "\(trimmingSlash(api))/bot\(token)/sendMessage", headers: [("Content-Type", "application/json")],
            body: json(body), target: target))
    }

    func classify(_ response: HTTPResponse, for part: Delivery, now: Date) -> AttemptOutcome {
        let json = response.jsonObject
        let parameters = json?["parameters"] as? [String: Any]
        if let migrated = parameters?["migrate_to_chat_id"] {
            return .reroute("\(migrated)", error: "chat moved to \(migrated); set chat_id = \"\(migrated)\" in the config")
        }
        if response.status == 200 && json?["ok"] as? Bool != true {
            return .park(error: "HTTP 200 without ok: true")
        }
        return standardOutcome(
            response, now: now, errorText: { _ in json?["description"] as? String },
            wait: { _ in (parameters?["retry_after"] as? Double) },
            receipt: { _ in ((json?["result"] as? [String: Any])?["message_id"]).map { "\($0)" } })
    }
}
