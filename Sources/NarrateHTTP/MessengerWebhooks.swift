import Foundation
import HTTPTypes
import Hummingbird
import NarrateApp
import NarrateModel
import NarrateReport

extension CheckInServer {
    /// `POST /line/webhook` and `POST /lark/events`: people check in by writing to the team's
    /// bot in LINE or Lark, as they would with `/narrate` in Slack (`卡關 前段 等法務回覆`). A
    /// request the platform did not sign (LINE) or that lacks the app's verification token
    /// (Lark) is refused before its body is read as a command; an event the platform sends again
    /// is acted on once.
    func addMessengerWebhooks(to router: Router<ServerContext>) {
        chatRoute(router, "line/webhook") { request, raw, app in
            guard let http = app.config.http, let secret = http.lineChannelSecret else {
                throw HTTPProblem(.notFound, "LINE is not set up here ([http] line_channel_secret)")
            }
            try RequestSignatures.verifyLine(secret: try app.secrets.reveal(secret), signature: request.headers[.lineSignature], body: raw)
            guard let payload = try? JSONSerialization.jsonObject(with: Data(raw)) as? [String: Any] else {
                throw HTTPProblem(.invalidInput, "the body is not a JSON object", field: "body")
            }
            // No events: LINE's "Verify" button in the console.
            for event in payload["events"] as? [[String: Any]] ?? [] {
                guard event["type"] as? String == "message", let message = event["message"] as? [String: Any],
                    message["type"] as? String == "text", let text = message["text"] as? String
                else { continue }
                // LINE redelivers what it thinks was lost, with the same webhookEventId.
                let eventID = event["webhookEventId"] as? String ?? message["id"] as? String ?? ""
                guard try await app.replays.firstSight("line:" + eventID, now: self.now(), window: Self.redeliveryWindow) else { continue }
                let user = (event["source"] as? [String: Any])?["userId"] as? String
                let reply = await self.chat(app, channel: "line", user: user, text: text, chinese: Self.speaksChinese(text, app)) { $0.line }
                if let token = event["replyToken"] as? String { await self.replyOnLine(app, token: token, text: reply) }
            }
            return JSONResponse.make([String: String]())
        }
        chatRoute(router, "lark/events") { request, raw, app in
            guard let tokenSecret = app.config.http?.larkVerificationToken else {
                throw HTTPProblem(.notFound, "Lark is not set up here ([http] lark_verification_token)")
            }
            guard let payload = try? JSONSerialization.jsonObject(with: Data(raw)) as? [String: Any] else {
                throw HTTPProblem(.invalidInput, "the body is not a JSON object", field: "body")
            }
            if payload["encrypt"] != nil {
                throw HTTPProblem(
                    .invalidInput, "encrypted events are not read here: clear the Encrypt Key in the app's event subscription", field: "encrypt")
            }
            let expected = try app.secrets.reveal(tokenSecret)
            // Schema 1.0: the URL check when the request URL is saved.
            if payload["type"] as? String == "url_verification" {
                try RequestSignatures.verifyToken(expected: expected, given: payload["token"] as? String, setting: "lark_verification_token")
                return JSONResponse.make(["challenge": payload["challenge"] as? String ?? ""])
            }
            let header = payload["header"] as? [String: Any]
            try RequestSignatures.verifyToken(expected: expected, given: header?["token"] as? String, setting: "lark_verification_token")
            guard header?["event_type"] as? String == "im.message.receive_v1",
                try await app.replays.firstSight("lark:" + (header?["event_id"] as? String ?? ""), now: self.now(), window: Self.redeliveryWindow)
            else { return JSONResponse.make([String: String]()) }
            let event = payload["event"] as? [String: Any]
            let sender = ((event?["sender"] as? [String: Any])?["sender_id"] as? [String: Any])?["open_id"] as? String
            let message = event?["message"] as? [String: Any]
            guard message?["message_type"] as? String == "text", let content = (message?["content"] as? String).map({ Data($0.utf8) }),
                let text = (try? JSONSerialization.jsonObject(with: content) as? [String: Any])?["text"] as? String
            else { return JSONResponse.make([String: String]()) }
            // In a group the bot is mentioned as `@_user_1`.
            let command = text.replacing(/@_user_\d+\s*/, with: "").trimmingCharacters(in: .whitespaces)
            let reply = await self.chat(app, channel: "lark", user: sender, text: command, chinese: Self.speaksChinese(command, app)) { $0.lark }
            // A reply in Lark needs the app's own token; the log says what became of the message.
            app.logger.info("lark check-in from \(sender ?? "an unknown sender"): \(reply)")
            return JSONResponse.make([String: String]())
        }
    }

    /// How long an event's id is remembered: LINE and Lark redeliver for hours, not days.
    static let redeliveryWindow: TimeInterval = 86_400

    /// Whether to answer in Traditional Chinese: the command was in it, or the team reads it.
    static func speaksChinese(_ text: String, _ app: AppContext) -> Bool {
        let first = text.split(whereSeparator: \.isWhitespace).first.map(String.init) ?? ""
        return Glossary.commands[first] != nil || app.config.locale == "zh-Hant"
    }

    /// LINE's reply API (`/v2/bot/message/reply`) with the event's reply token; without
    /// `line_channel_token` nothing is answered. A failure is logged; the entry is kept either way.
    func replyOnLine(_ app: AppContext, token: String, text: String) async {
        guard let http = app.config.http, let secret = http.lineChannelToken else { return }
        do {
            let access = try app.secrets.reveal(secret)
            let body = try JSONSerialization.data(
                withJSONObject: ["replyToken": token, "messages": [["type": "text", "text": String(text.prefix(5_000))]]], options: [.sortedKeys])
            let response = try await app.transport.send(NarrateModel.HTTPRequest(
                url: http.lineAPI + "/v2/bot/message/reply",
                headers: [("Content-Type", "application/json"), ("Authorization", "Bearer \(access)")], body: body, timeout: 10,
                connectTimeout: 5))
            if !(200..<300).contains(response.status) {
                app.logger.warning("line reply: HTTP \(response.status): \(app.redactor.redact(OneLine.clean(response.text)))")
            }
        } catch {
            app.logger.warning("line reply: \(app.redactor.redact("\(error)"))")
        }
    }
}

extension HTTPField.Name {
    static let lineSignature = Self("X-Line-Signature")!
}
