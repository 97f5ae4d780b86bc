import Foundation
import HTTPTypes
import Hummingbird
import NarrateApp
import NarrateModel
import NarrateReport

extension CheckInServer {
    /// `POST /slack/commands`, `/mattermost/commands`, `/discord/interactions`. A request that is
    /// not proven to come from the platform is refused (401) before its body is read as a
    /// command; a person the platform's user id does not map to gets a private explanation.
    func addChatCommands(to router: Router<ServerContext>) {
        chatRoute(router, "slack/commands") { request, raw, app in
            guard let secret = app.config.http?.slackSigningSecret else {
                throw HTTPProblem(.notFound, "Slack commands are not set up here ([http] slack_signing_secret)")
            }
            try RequestSignatures.verifySlack(
                secret: try app.secrets.reveal(secret), timestamp: request.headers[.slackTimestamp],
                signature: request.headers[.slackSignature], body: raw, now: self.now())
            try await self.once("slack:" + (request.headers[.slackSignature] ?? ""), app)
            let fields = try Self.form(raw)
            let reply = await self.chat(app, channel: "slack", user: fields["user_id"], text: fields["text"] ?? "") { $0.slack }
            return JSONResponse.make(["response_type": "ephemeral", "text": reply])
        }
        chatRoute(router, "mattermost/commands") { request, raw, app in
            guard let token = app.config.http?.mattermostToken else {
                throw HTTPProblem(.notFound, "Mattermost commands are not set up here ([http] mattermost_token)")
            }
            let fields = try Self.form(raw)
            // Mattermost sends the token in the form, and as `Authorization: Token …`.
            let given = fields["token"] ?? request.headers[.authorization].map { String($0.drop { $0 != " " }.dropFirst()) }
            try RequestSignatures.verifyToken(expected: try app.secrets.reveal(token), given: given)
            let reply = await self.chat(app, channel: "mattermost", user: fields["user_id"], text: fields["text"] ?? "") { $0.mattermost }
            return JSONResponse.make(["response_type": "ephemeral", "text": reply])
        }
        chatRoute(router, "discord/interactions") { request, raw, app in
            guard let key = app.config.http?.discordPublicKey else {
                throw HTTPProblem(.notFound, "Discord interactions are not set up here ([http] discord_public_key)")
            }
            try RequestSignatures.verifyDiscord(
                publicKey: key, timestamp: request.headers[.discordTimestamp], signature: request.headers[.discordSignature], body: raw,
                now: self.now())
            guard let interaction = try? JSONSerialization.jsonObject(with: Data(raw)) as? [String: Any], let type = interaction["type"] as? Int else {
                throw HTTPProblem(.invalidInput, "the interaction is not a JSON object with a type", field: "type")
            }
            // Discord gives every interaction an id; without one, the signature stands for it.
            try await self.once("discord:" + ((interaction["id"] as? String) ?? request.headers[.discordSignature] ?? ""), app)
            // 1: Discord checking the endpoint.
            if type == 1 { return JSONResponse.make(["type": 1]) }
            let member = interaction["member"] as? [String: Any]
            let user = (member?["user"] as? [String: Any] ?? interaction["user"] as? [String: Any])?["id"] as? String
            let data = interaction["data"] as? [String: Any] ?? [:]
            let text = Self.discordText(data["options"] as? [[String: Any]] ?? [])
            let reply = await self.chat(app, channel: "discord", user: user, text: text) { $0.discord }
            // 4: a message in reply; flag 64: only the caller sees it.
            return JSONResponse.make(["type": 4, "data": ["content": reply, "flags": 64]])
        }
    }

    /// Refuses a signed request already acted on within the timestamp window, by this process
    /// or another on the same store.
    func once(_ key: String, _ app: AppContext) async throws {
        guard try await app.replays.firstSight(key, now: now(), window: RequestSignatures.slackWindow) else {
            throw NarrateError(.unauthenticated, "this request was already received (a replay)")
        }
    }

    /// One platform's route: the body read within the limit, then `handle` checks the
    /// platform's proof and answers; any error is a JSON problem. A request that fails the
    /// proof counts against its address (``failed(_:address:format:)``).
    func chatRoute(
        _ router: Router<ServerContext>, _ path: RouterPath,
        _ handle: @escaping @Sendable (Request, [UInt8], AppContext) async throws -> Response
    ) {
        router.post(path) { request, context in
            let app = await self.current()
            do {
                let address = self.client(request, context, app)
                do {
                    return try await handle(request, try await BodyReader.bytes(request, limit: app.maxBody), app)
                } catch {
                    throw self.failed(error, address: address)
                }
            } catch {
                throw self.problem(error, app)
            }
        }
    }

    /// Maps the platform's user to a person and runs the command; every outcome is a reply text.
    func chat(_ app: AppContext, channel: String, user: String?, text: String, chinese: Bool = false, id: (Person) -> String?) async -> String {
        guard let user, !user.isEmpty else { return "narrate: the request named no user." }
        guard let person = app.config.persons.first(where: { id($0) == user }) else {
            if chinese {
                return "narrate 還不認得你的 \(channel) 帳號（\(user)）。請管理者在設定檔你的 [[person]] 加上 \(channel) = \"\(user)\"，之後就能在這裡回報。"
            }
            return "narrate does not know your \(channel) user \(user); ask an admin to add \(channel) = \"\(user)\" to your [[person]] in the config."
        }
        do {
            let command = try ChatCommand.parse(text)
            let reply = try await ChatDesk(context: app, chinese: chinese).run(command, for: person)
            if case .log = command { ServiceMetrics.checkIn(channel) }
            if case .close = command { ServiceMetrics.checkIn(channel) }
            return reply
        } catch {
            return "narrate: " + app.redactor.redact("\(error)")
        }
    }

    static func form(_ raw: [UInt8]) throws -> [String: String] {
        guard let fields = BodyReader.formFields(raw) else {
            throw HTTPProblem(.invalidInput, "the form is not valid URL-encoded UTF-8", field: "body")
        }
        return fields
    }

    /// A Discord command's options as the text after `/narrate`: a subcommand's name, then the
    /// values of its options (`/narrate blocker text:… stage:middle` → "blocker --stage middle …").
    static func discordText(_ options: [[String: Any]]) -> String {
        var verb: String?
        var stage: String?
        var rest: [String] = []
        for option in options {
            let name = option["name"] as? String ?? ""
            if let nested = option["options"] as? [[String: Any]] {
                verb = name
                rest.append(discordText(nested))
            } else if name == "kind" || name == "command", let value = option["value"] as? String {
                verb = value
            } else if name == "stage", let value = option["value"] as? String {
                stage = value
            } else if let value = option["value"] {
                rest.append("\(value)")
            }
        }
        let words = [verb, stage.map { "--stage \($0)" }].compactMap { $0 } + rest
        return words.filter { !$0.isEmpty }.joined(separator: " ")
    }
}

extension HTTPField.Name {
    static let slackTimestamp = Self("X-Slack-Request-Timestamp")!
    static let slackSignature = Self("X-Slack-Signature")!
    static let discordTimestamp = Self("X-Signature-Timestamp")!
    static let discordSignature = Self("X-Signature-Ed25519")!
}
