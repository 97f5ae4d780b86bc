/// Telegram Bot API `sendMessage` in HTML mode. Answers `{"ok": true}`; failures carry
/// `description`, 429 carries `parameters.retry_after`, a group upgraded to a supergroup carries
/// `parameters.migrate_to_chat_id`.
struct TelegramTarget: ChatTarget {
    func request(for delivery: Delivery, context: DeliveryContext) throws -> HTTPClient.Request {
        let api = context.target.settings["api"] ?? "https://api.telegram.org"
        let token = try context.secret("token")
        let chat = try delivery.route ?? context.setting("chat_id")
        let body: [String: Any] = [
            "chat_id": Int64(chat).map { $0 as Any } ?? chat, "text": delivery.body, "parse_mode": "HTML",
            "link_preview_options": ["is_disabled": true],
        ]
        let base = DeliveryContext.trimmingSlash(api)
        return context.request(
            url: "\(base)/bot\(token)/sendMessage", headers: [("Content-Type", "application/json")], body: context.json(body))
    }

    func outcome(of response: HTTPClient.Response, for delivery: Delivery) -> AttemptOutcome {
        let json = jsonObject(response)
        let parameters = json?["parameters"] as? [String: Any]
        if let migrated = parameters?["migrate_to_chat_id"] {
            return .reroute("\(migrated)", error: "chat moved to \(migrated); set chat_id = \"\(migrated)\" in the config")
        }
        if response.status == 200 && json?["ok"] as? Bool != true {
            return .park(error: "HTTP 200 without ok: true")
        }
        return standardOutcome(
            response, errorText: { _ in json?["description"] as? String },
            wait: { _ in (parameters?["retry_after"] as? Double) },
            receipt: { _ in ((json?["result"] as? [String: Any])?["message_id"]).map { "\($0)" } })
    }
}

import Foundation
