import Crypto
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing
@testable import NarrateApp
@testable import NarrateModel
@testable import NarrateTOML
@testable import NarrateConfig
@testable import NarrateReport
@testable import NarrateTargets
@testable import NarratePlatform
@testable import NarrateHTTP

/// Slash commands from Slack, Mattermost and Discord: signed requests check in as the mapped
/// person; forged, stale or malformed ones are refused with nothing stored.
@Suite struct ChatCommandTests {
    @Test func theCommandTextParsesIntoOneCheckIn() throws {
        #expect(try ChatCommand.parse("progress Shipped the refund macro") == .log(.progress, text: "Shipped the refund macro", stage: nil))
        #expect(try ChatCommand.parse("blocker --stage middle Waiting on legal") == .log(.blocker, text: "Waiting on legal", stage: .middle))
        #expect(try ChatCommand.parse("blocker --stage=back  handover") == .log(.blocker, text: "handover", stage: .back))
        #expect(try ChatCommand.parse("done N-3") == .close(try EntryReference(parsing: "N-3"), .done, note: nil))
        #expect(try ChatCommand.parse("resolve B-2 legal signed") == .close(try EntryReference(parsing: "B-2"), .resolved, note: "legal signed"))
        #expect(try ChatCommand.parse("me") == .me)
        #expect(try ChatCommand.parse("  ") == .help)
        #expect(throws: NarrateError.self) { try ChatCommand.parse("rant about things") }
        #expect(throws: NarrateError.self) { try ChatCommand.parse("blocker --stage sideways x") }
        #expect(throws: NarrateError.self) { try ChatCommand.parse("done") }
        #expect(CheckInServer.discordText([
            ["name": "blocker", "type": 1, "options": [["name": "text", "value": "Waiting on legal"], ["name": "stage", "value": "middle"]]],
        ]) == "blocker --stage middle Waiting on legal")
    }

    @Test(arguments: ServiceFixture.Transport.allCases)
    func aSignedSlackCommandChecksInAsTheMappedPersonAndRepliesPrivately(_ transport: ServiceFixture.Transport) async throws {
        let fixture = try ServiceFixture()
        try await fixture.test(transport) { client in
            let body = formEncoded([("token", "x"), ("team_id", "T1"), ("user_id", "U0ALICE"), ("command", "/narrate"),
                                    ("text", "blocker --stage middle Waiting on legal")])
            let response = try await client.execute(uri: "/slack/commands", method: .post, headers: slackHeaders(body), body: ByteBuffer(string: body))
            #expect(response.status == .ok)
            #expect(response.body.json["response_type"] as? String == "ephemeral")
            let reply = try #require(response.body.json["text"] as? String)
            #expect(reply.contains("Recorded B-"))

            let me = formEncoded([("user_id", "U0ALICE"), ("text", "me")])
            let summary = try await client.execute(uri: "/slack/commands", method: .post, headers: slackHeaders(me), body: ByteBuffer(string: me))
            #expect((summary.body.json["text"] as? String)?.contains("Waiting on legal") == true)

            let stranger = formEncoded([("user_id", "U0NOBODY"), ("text", "progress sneaky")])
            let unknown = try await client.execute(uri: "/slack/commands", method: .post, headers: slackHeaders(stranger), body: ByteBuffer(string: stranger))
            #expect((unknown.body.json["text"] as? String)?.contains("does not know your slack user U0NOBODY") == true)
        }
        let entries = try await fixture.app.store.entries(from: Date().addingTimeInterval(-60), to: Date().addingTimeInterval(60))
        #expect(entries.map(\.person) == ["alice"])
        #expect(entries.first?.stage == .middle)
    }

    @Test(arguments: ServiceFixture.Transport.allCases)
    func forgedStaleOrUnsignedSlackRequestsAreRefusedWithNothingStored(_ transport: ServiceFixture.Transport) async throws {
        let fixture = try ServiceFixture()
        let body = formEncoded([("user_id", "U0ALICE"), ("text", "progress forged")])
        var tampered = slackHeaders(body)
        tampered[HTTPField.Name("X-Slack-Signature")!] = slackHeaders(body + "x")[HTTPField.Name("X-Slack-Signature")!]
        let cases: [(String, HTTPFields)] = [
            ("wrong secret", slackHeaders(body, secret: "not-the-secret")),
            ("stale timestamp", slackHeaders(body, timestamp: Date().addingTimeInterval(-400))),
            ("signature of another body", tampered),
            ("no signature", [.contentType: "application/x-www-form-urlencoded"]),
        ]
        try await fixture.test(transport) { client in
            for (name, headers) in cases {
                let response = try await client.execute(uri: "/slack/commands", method: .post, headers: headers, body: ByteBuffer(string: body))
                #expect(response.status == .unauthorized, "\(name)")
                #expect(!response.body.text.contains(ServiceFixture.slackSecret))
            }
        }
        await #expect(try fixture.entryCount() == 0)
    }

    @Test func mattermostCommandsNeedTheCommandToken() async throws {
        let fixture = try ServiceFixture()
        try await fixture.test(.live) { client in
            let good = formEncoded([("token", ServiceFixture.mattermostToken), ("user_id", "mm-alice"), ("text", "progress Shipped the refund macro")])
            let response = try await client.execute(
                uri: "/mattermost/commands", method: .post, headers: [.contentType: "application/x-www-form-urlencoded"], body: ByteBuffer(string: good))
            #expect(response.status == .ok)
            #expect((response.body.json["text"] as? String)?.contains("Recorded P-") == true)
            let bad = formEncoded([("token", "guess"), ("user_id", "mm-alice"), ("text", "progress forged")])
            let refused = try await client.execute(
                uri: "/mattermost/commands", method: .post, headers: [.contentType: "application/x-www-form-urlencoded"], body: ByteBuffer(string: bad))
            #expect(refused.status == .unauthorized)
            #expect(!refused.body.text.contains(ServiceFixture.mattermostToken))
        }
        await #expect(try fixture.app.store.entries(from: Date().addingTimeInterval(-60), to: Date().addingTimeInterval(60)).map(\.text) == ["Shipped the refund macro"])
    }

    @Test func discordInteractionsAreCheckedWithEd25519() async throws {
        let fixture = try ServiceFixture()
        try await fixture.test(.live) { client in
            let ping = #"{"type":1}"#
            let pong = try await client.execute(uri: "/discord/interactions", method: .post, headers: try discordHeaders(ping), body: ByteBuffer(string: ping))
            #expect(pong.status == .ok)
            #expect(pong.body.json["type"] as? Int == 1)

            let command = #"{"type":2,"member":{"user":{"id":"80351110224678912"}},"data":{"name":"narrate","options":[{"name":"next","type":1,"options":[{"name":"text","value":"Book the review"}]}]}}"#
            let reply = try await client.execute(uri: "/discord/interactions", method: .post, headers: try discordHeaders(command), body: ByteBuffer(string: command))
            #expect(reply.status == .ok)
            #expect(reply.body.json["type"] as? Int == 4)
            let data = reply.body.json["data"] as? [String: Any]
            #expect(data?["flags"] as? Int == 64)
            #expect((data?["content"] as? String)?.contains("Recorded N-") == true)

            let forged = try await client.execute(
                uri: "/discord/interactions", method: .post, headers: try discordHeaders(command, key: Curve25519.Signing.PrivateKey()),
                body: ByteBuffer(string: command))
            #expect(forged.status == .unauthorized)
            // A valid signature over another body does not carry over.
            var swapped = try discordHeaders(ping)
            swapped[.contentType] = "application/json"
            let replayed = try await client.execute(uri: "/discord/interactions", method: .post, headers: swapped, body: ByteBuffer(string: command))
            #expect(replayed.status == .unauthorized)
        }
        await #expect(try fixture.app.store.entries(from: Date().addingTimeInterval(-60), to: Date().addingTimeInterval(60)).map(\.text) == ["Book the review"])
    }

    @Test func aChatUserClosesOnlyTheirOwnOrTheirReportsEntries() async throws {
        let fixture = try ServiceFixture()
        let carols = try await fixture.app.checkIns.log(.next, text: "chen's action", by: fixture.person("chen"))
        let alices = try await fixture.app.checkIns.log(.next, text: "alice's action", by: fixture.person("alice"))
        try await fixture.test(.router) { client in
            for (id, expected) in [(carols.displayID, "only they, their manager or an admin"), (alices.displayID, "is done")] {
                let body = formEncoded([("user_id", "U0ALICE"), ("text", "done \(id)")])
                let response = try await client.execute(uri: "/slack/commands", method: .post, headers: slackHeaders(body), body: ByteBuffer(string: body))
                #expect((response.body.json["text"] as? String)?.contains(expected) == true, "\(response.body.text)")
            }
        }
        await #expect(try fixture.app.store.entry(carols.id)?.state == .open)
        await #expect(try fixture.app.store.entry(alices.id)?.state == .done)
    }
}
