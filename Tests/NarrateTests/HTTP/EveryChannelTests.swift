import Crypto
import Foundation
import Testing
@testable import NarrateModel
@testable import NarrateTOML
@testable import NarrateConfig
@testable import NarrateReport
@testable import NarrateTargets
@testable import NarratePlatform
@testable import NarrateDelivery
@testable import NarrateHTTP

/// The issue's promise end to end, with the real binary: a check-in through each channel —
/// the server's shell, the web page, a slash command, the API — is in the next report under
/// the right person, and forged requests add nothing.
@Suite struct EveryChannelTests {
    @Test func eachChannelReachesTheReportUnderTheRightPerson() async throws {
        let socket = "/tmp/narrate-\(UUID().uuidString.prefix(8)).sock"
        defer { unlink(socket) }
        var text = exampleConfig(replacing: "unix_user = \"alice\"", with: "unix_user = \"\(CheckInSocketTests.userName())\"")
        text = text.replacingOccurrences(of: "unix_user = \"chen\"", with: "unix_user = \"chen\"\nslack = \"U0CHEN\"")
        text += "\n[http]\nlisten = \"127.0.0.1:0\"\nsocket = \"\(socket)\"\nslack_signing_secret_env = \"SLACK_SIGNING\"\n"
        var cli = CLI(config: text)
        cli.environment.removeValue(forKey: "NARRATE_SOCKET")
        cli.environment["SLACK_SIGNING"] = "slack-secret-for-the-test"
        let state = cli.directory + "/daemon-state"
        func token(_ person: String) async throws -> [String: Any] {
            let created = try await cli.run("token", "create", person, "--json", "--state-dir", state)
            return try #require(try JSONSerialization.jsonObject(with: Data(created.stdout.utf8)) as? [String: Any])
        }
        let bob = try await token("bob")["api_token"] as? String ?? ""
        let dana = try await token("dana")["link_token"] as? String ?? ""

        let serve = try await ServeProcess(cli, command: ["serve", "--state-dir", state])
        defer { serve.stop() }
        let base = "http://127.0.0.1:\(try await serve.port())"
        _ = try await serve.waitFor("local check-ins on")

        func post(_ path: String, _ body: String, _ headers: [(String, String)]) async throws -> Int {
            try await liveTransport.send(HTTPRequest(method: "POST", url: base + path, headers: headers, body: Data(body.utf8))).status
        }
        // The server's shell, as oneself.
        #expect(try await cli.run("log", "progress", "From alice's shell").status == 0)
        // A script with bob's API token.
        #expect(try await post("/v1/entries", #"{"kind":"progress","text":"From bob's script"}"#,
                               [("Authorization", "Bearer \(bob)"), ("Content-Type", "application/json")]) == 201)
        // chen's Slack.
        let slack = formEncoded([("user_id", "U0CHEN"), ("text", "progress From chen's Slack")])
        func signed(_ body: String, secret: String) -> [(String, String)] {
            let stamp = String(Int(Date().timeIntervalSince1970))
            let mac = HMAC<SHA256>.authenticationCode(for: Array("v0:\(stamp):\(body)".utf8), using: SymmetricKey(data: Array(secret.utf8)))
            return [("Content-Type", "application/x-www-form-urlencoded"), ("X-Slack-Request-Timestamp", stamp),
                    ("X-Slack-Signature", "v0=" + mac.map { String(format: "%02x", $0) }.joined())]
        }
        #expect(try await post("/slack/commands", slack, signed(slack, secret: "slack-secret-for-the-test")) == 200)
        // dana's phone, through the page's form.
        let form = formEncoded([("csrf", CheckInServer.formKey(dana)), ("action", "log"), ("kind", "progress"), ("text", "From dana's phone")])
        #expect(try await post("/checkin/\(dana)", form, [("Content-Type", "application/x-www-form-urlencoded")]) == 303)

        // Forgeries, one per channel: nothing of them is stored.
        let forged = formEncoded([("user_id", "U0CHEN"), ("text", "progress FORGED slack")])
        #expect(try await post("/slack/commands", forged, signed(forged, secret: "a-guess")) == 401)
        #expect(try await post("/v1/entries", #"{"kind":"progress","text":"FORGED api"}"#,
                               [("Authorization", "Bearer nra_guess"), ("Content-Type", "application/json")]) == 401)
        #expect(try await post("/checkin/\(dana)", formEncoded([("action", "log"), ("kind", "progress"), ("text", "FORGED page")]),
                               [("Content-Type", "application/x-www-form-urlencoded")]) == 403)

        let preview = try await cli.run("preview", "--team", "platform", "--state-dir", state)
        #expect(preview.status == 0, "\(preview.stderr)")
        let people = preview.stdout.components(separatedBy: "\n### ")
        for (name, line) in [("Alice Chen", "From alice's shell"), ("Bob Lin", "From bob's script"),
                             ("Chen Wei", "From chen's Slack"), ("Dana Hsu", "From dana's phone")] {
            let card = people.first { $0.hasPrefix(name + "\n") } ?? ""
            #expect(card.contains(line), "\(name)'s card: \(card)")
        }
        #expect(!preview.stdout.contains("FORGED"))
        #expect(!serve.log.contains(bob) && !serve.log.contains(dana))
    }
}
