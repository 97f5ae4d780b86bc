import NarrateModel
import NarrateReport
import Foundation

/// Telegram Bot API `sendMessage` in HTML mode. Answers `{"ok": true}`; failures carry
/// `description`, 429 carries `parameters.retry_after`, a group upgraded to a supergroup carries
/// `parameters.migrate_to_chat_id`.
struct TelegramTarget: TargetDescriptor {
    func personalAddressProblem(_ address: String) -> String? {
        let id = address.hasPrefix("-") ? address.dropFirst() : Substring(address)
        return !id.isEmpty && id.allSatisfy(\.isNumber) || address.hasPrefix("@") ? nil : "\"\(address)\" is not a Telegram chat id"
    }

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
        let body = SendMessage(chat_id: Int64(chat).map(ChatID.number) ?? .name(chat), text: part.body)
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

    /// The body of `sendMessage`: HTML, no link previews.
    struct SendMessage: Encodable {
        struct LinkPreviewOptions: Encodable { var is_disabled = true }
        var chat_id: ChatID
        var text: String
        var parse_mode = "HTML"
        var link_preview_options = LinkPreviewOptions()
    }

    /// A chat's numeric id, or a channel's `@name`.
    enum ChatID: Encodable {
        case number(Int64)
        case name(String)

        func encode(to encoder: any Encoder) throws {
            var container = encoder.singleValueContainer()
            switch self {
            case .number(let id): try container.encode(id)
            case .name(let name): try container.encode(name)
            }
        }
    }
}
