import Foundation
@testable import NarrateApp
@testable import NarrateModel
@testable import NarrateTOML
@testable import NarrateConfig
@testable import NarrateReport
@testable import NarrateTargets
@testable import NarratePlatform
@testable import NarrateDelivery
@testable import NarrateStore

/// The loopback chat receiver (`Tests/receiver/receiver.py`) in its own process.
final class Receiver: ChatPeer {
    struct Request: Decodable, Sendable {
        var method: String
        var path: String
        var query: String
        var headers: [String: String]
        var body: String
        var time: Double

        var json: [String: Any] { (try? JSONSerialization.jsonObject(with: Data(body.utf8))) as? [String: Any] ?? [:] }
    }

    let process: Spawned
    /// Its stdin: the receiver ends when this closes (the test's end).
    let input: FileHandle
    let port: Int

    var base: String { "http://127.0.0.1:\(port)" }
    var transport: any HTTPTransport { liveTransport }

    init() async throws {
        let script = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("receiver/receiver.py").path
        let (input, childInput) = try childPipe(childReads: true)
        let (output, childOutput) = try childPipe()
        self.input = input
        process = try await Spawned("/usr/bin/env", ["python3", script], stdin: childInput, stdout: childOutput)
        guard let port = announcedPort(output) else { throw NarrateError(.internal, "receiver did not start") }
        self.port = port
    }

    deinit {
        try? input.close()
        process.terminate()
    }

    /// Tells the receiver how to treat the next requests under `path`.
    func plan(_ path: String, _ actions: [[String: Any]]) async throws {
        let body = try JSONSerialization.data(withJSONObject: ["path": path, "plan": actions])
        _ = try await liveTransport.send(HTTPRequest(url: base + "/_control", headers: [("Content-Type", "application/json")], body: body))
    }

    /// The messages LINE (push bodies) and DingTalk (message bodies) accepted: each retry key or
    /// msgUuid once, however often it was sent.
    func delivered(_ platform: String) async throws -> [[String: Any]] {
        let response = try await liveTransport.send(HTTPRequest(method: "GET", url: base + "/_delivered"))
        return ((try JSONSerialization.jsonObject(with: response.body) as? [String: Any])?[platform] as? [[String: Any]]) ?? []
    }

    func requests(_ prefix: String) async throws -> [Request] {
        let response = try await liveTransport.send(HTTPRequest(method: "GET", url: base + "/_requests"))
        return try JSONDecoder().decode([Request].self, from: response.body).filter { $0.path.hasPrefix(prefix) }
    }
}

extension ChatPeer {
    /// A config with one target of every kind pointing here, secrets in the environment.
    func config(targets: [String]? = nil, extra: String = "") -> (text: String, environment: [String: String]) {
        let all = ["terminal", "archive", "slack", "discord", "mattermost", "teams", "gchat", "telegram", "matrix", "zulip", "ntfy", "hook"]
        let chosen = targets ?? all
        var text = ExampleConfig.text.replacingOccurrences(
            of: #"targets = ["terminal", "archive"]"#,
            with: "targets = [" + chosen.map { "\"\($0)\"" }.joined(separator: ", ") + "]")
        text += """

            [[target]]
            id = "slack"
            kind = "slack"
            url_env = "SLACK_URL"
            timeout = 2

            [[target]]
            id = "discord"
            kind = "discord"
            url_env = "DISCORD_URL"

            [[target]]
            id = "mattermost"
            kind = "mattermost"
            url_env = "MM_URL"

            [[target]]
            id = "teams"
            kind = "teams"
            url_env = "TEAMS_URL"

            [[target]]
            id = "gchat"
            kind = "google-chat"
            url_env = "GCHAT_URL"

            [[target]]
            id = "telegram"
            kind = "telegram"
            api = "\(base)/telegram"
            token_env = "TG_TOKEN"
            chat_id = "-100200"

            [[target]]
            id = "matrix"
            kind = "matrix"
            homeserver = "\(base)/matrix"
            room = "!room/with:odd chars"
            token_env = "MATRIX_TOKEN"

            [[target]]
            id = "zulip"
            kind = "zulip"
            site = "\(base)/zulip"
            email = "bot@example.org"
            api_key_env = "ZULIP_KEY"
            stream = "platform"
            topic = "weekly report"

            [[target]]
            id = "ntfy"
            kind = "ntfy"
            url_env = "NTFY_URL"

            [[target]]
            id = "hook"
            kind = "webhook"
            url_env = "HOOK_URL"
            secret_env = "HOOK_SECRET"

            """ + extra
        let environment = [
            "SLACK_URL": "\(base)/slack/T000/B000/secretpath", "DISCORD_URL": "\(base)/discord/123/secret-token",
            "MM_URL": "\(base)/mattermost/hooks/secret", "TEAMS_URL": "\(base)/teams/workflows/secret",
            "GCHAT_URL": "\(base)/google-chat/v1/spaces/AAA/messages?key=k&token=secret", "TG_TOKEN": "123:secret",
            "MATRIX_TOKEN": "matrix-token", "ZULIP_KEY": "zulip-key", "NTFY_URL": "\(base)/ntfy/platform-x7k2q",
            "HOOK_URL": "\(base)/webhook/endpoint", "HOOK_SECRET": "whsec_c2VjcmV0LWtleS1mb3ItdGVzdHM=",
        ]
        return (text, environment)
    }
}

/// The port a helper process announces on its first line ("PORT 4711", "listening on 4711").
func announcedPort(_ output: FileHandle) -> Int? {
    var line = Data()
    while !line.contains(UInt8(ascii: "\n")) {
        let chunk = output.availableData
        if chunk.isEmpty { break }
        line.append(chunk)
    }
    return Int(String(decoding: line, as: UTF8.self).split(separator: " ").last?.trimmingCharacters(in: .whitespacesAndNewlines) ?? "")
}
