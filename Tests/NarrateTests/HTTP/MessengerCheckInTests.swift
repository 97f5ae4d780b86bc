import Crypto
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing
@testable import NarrateApp
@testable import NarrateModel
@testable import NarrateHTTP
@testable import NarrateStore

/// Checking in by writing to the team's bot in LINE or Lark, where Taiwan's and Hong Kong's
/// teams are all day: signed requests only, each event once, Chinese commands stored with the
/// right kind and stage, and (LINE) a reply with the entry's id and how to take it back.
@Suite struct MessengerCheckInTests {
    static let lineSecret = "line-channel-secret-0123456789ab"
    static let larkToken = "lark-verification-token-v1"
    static let alice = "U" + String(repeating: "a1b2c3d4", count: 4)
    static let stranger = "U" + String(repeating: "9", count: 32)

    struct World {
        let app: AppContext
        let server: CheckInServer
        let receiver: Receiver
    }

    static func world() async throws -> World {
        let receiver = try await Receiver()
        let credentials = temporaryDirectory("messenger")
        write(lineSecret, to: credentials + "/line-secret")
        write("line-channel-token", to: credentials + "/line-token")
        write(larkToken, to: credentials + "/lark-token")
        var text = exampleConfig(replacing: "unix_user = \"alice\"", with: "unix_user = \"alice\"\nline = \"\(alice)\"\nlark = \"ou_alice\"")
        text += """

            [http]
            listen = "127.0.0.1:0"
            line_channel_secret_file = "\(credentials)/line-secret"
            line_channel_token_file = "\(credentials)/line-token"
            line_api = "\(receiver.base)/line"
            lark_verification_token_file = "\(credentials)/lark-token"
            """
        let (app, _) = try exampleContext(config: text)
        return World(app: app, server: CheckInServer(current: { app }, rate: 1000), receiver: receiver)
    }

    /// A LINE webhook body with one text message event.
    static func lineEvent(_ text: String, from user: String, id: String) -> String {
        let event: [String: Any] = [
            "type": "message", "mode": "active", "timestamp": 1_765_000_000_000, "webhookEventId": id,
            "deliveryContext": ["isRedelivery": false], "replyToken": "reply-\(id)",
            "source": ["type": "user", "userId": user], "message": ["id": "m-\(id)", "type": "text", "quoteToken": "q", "text": text],
        ]
        let body = try! JSONSerialization.data(withJSONObject: ["destination": "Ubot", "events": [event]], options: [.sortedKeys])
        return String(decoding: body, as: UTF8.self)
    }

    static func signature(_ body: String, secret: String = lineSecret) -> String {
        Data(HMAC<SHA256>.authenticationCode(for: Data(body.utf8), using: SymmetricKey(data: Data(secret.utf8)))).base64EncodedString()
    }

    @Test(arguments: ServiceFixture.Transport.allCases)
    func lineMessagesBecomeEntriesOnceAndAreAnswered(_ transport: ServiceFixture.Transport) async throws {
        let world = try await Self.world()
        try await Application(router: try world.server.router()).test(transport.setup) { client in
            func post(_ body: String, signature: String?) async throws -> HTTPResponse.Status {
                var headers: HTTPFields = [.contentType: "application/json"]
                if let signature { headers[.lineSignature] = signature }
                return try await client.execute(uri: "/line/webhook", method: .post, headers: headers, body: ByteBuffer(string: body)).status
            }
            let blocker = Self.lineEvent("卡關 前段 等法務回覆", from: Self.alice, id: "E1")
            let s1 = try await post(blocker, signature: nil)
            #expect(s1 == .unauthorized)
            let s2 = try await post(blocker, signature: Self.signature(blocker, secret: "another-secret"))
            #expect(s2 == .unauthorized)
            let stored = try await world.app.store.entryCount()
            #expect(stored == 0, "nothing from an unsigned request")

            let s3 = try await post(blocker, signature: Self.signature(blocker))
            #expect(s3 == .ok)
            let s4 = try await post(blocker, signature: Self.signature(blocker))
            #expect(s4 == .ok, "LINE's redelivery is answered, not acted on")
            let english = Self.lineEvent("blocker --stage front Waiting on legal", from: Self.alice, id: "E2")
            let s5 = try await post(english, signature: Self.signature(english))
            #expect(s5 == .ok)
            let progress = Self.lineEvent("進展 完成退款流程", from: Self.alice, id: "E3")
            let s6 = try await post(progress, signature: Self.signature(progress))
            #expect(s6 == .ok)
            let stranger = Self.lineEvent("進展 我也想回報", from: Self.stranger, id: "E4")
            let s7 = try await post(stranger, signature: Self.signature(stranger))
            #expect(s7 == .ok)
            // LINE's console "Verify": no events.
            let verify = #"{"destination":"Ubot","events":[]}"#
            let s8 = try await post(verify, signature: Self.signature(verify))
            #expect(s8 == .ok)
        }
        let entries = try await world.app.store.entries(from: .distantPast, to: .distantFuture)
        #expect(entries.map(\.person) == ["alice", "alice", "alice"], "the stranger's message is not stored")
        #expect(entries.map(\.kind) == [.blocker, .blocker, .progress])
        #expect(entries.map(\.stage) == [.front, .front, nil])
        #expect(entries.map(\.text) == ["等法務回覆", "Waiting on legal", "完成退款流程"])

        let replies = try await world.receiver.requests("/line/v2/bot/message/reply")
        let texts = replies.compactMap { (($0.json["messages"] as? [[String: Any]])?.first?["text"] as? String) }
        #expect(replies.map { $0.json["replyToken"] as? String } == ["reply-E1", "reply-E2", "reply-E3", "reply-E4"], "one reply an event")
        let first = entries[0].displayID
        #expect(texts[0] == "已記下 \(first)（卡關問題，前段）。要撤回：刪除 \(first)", "\(texts[0])")
        #expect(texts[1].hasPrefix("Recorded \(entries[1].displayID) (blocker) for Alice Chen. To take it back: delete"))
        #expect(texts[3].contains("line = \"\(Self.stranger)\""), "the stranger is told how to link their account: \(texts[3])")
        #expect(replies.allSatisfy { $0.headers["authorization"] == "Bearer line-channel-token" })
    }

    @Test func anEntryIsTakenBackFromLine() async throws {
        let world = try await Self.world()
        try await Application(router: try world.server.router()).test(.router) { client in
            for (index, text) in ["學到 先寫測試再改", "刪除 L-1"].enumerated() {
                let body = Self.lineEvent(text, from: Self.alice, id: "D\(index)")
                let status = try await client.execute(
                    uri: "/line/webhook", method: .post, headers: [.contentType: "application/json", .lineSignature: Self.signature(body)],
                    body: ByteBuffer(string: body)).status
                #expect(status == .ok)
            }
        }
        #expect(try await world.app.store.entries(from: .distantPast, to: .distantFuture).isEmpty)
        let texts = try await world.receiver.requests("/line/v2/bot/message/reply").compactMap {
            (($0.json["messages"] as? [[String: Any]])?.first?["text"] as? String)
        }
        #expect(texts == ["已記下 L-1（學到了什麼）。要撤回：刪除 L-1", "已刪除 L-1。"])
    }

    static func larkEvent(_ text: String, id: String, token: String = larkToken, from: String = "ou_alice") -> String {
        let content = String(decoding: try! JSONSerialization.data(withJSONObject: ["text": text]), as: UTF8.self)
        let body: [String: Any] = [
            "schema": "2.0",
            "header": ["event_id": id, "event_type": "im.message.receive_v1", "token": token, "create_time": "1765000000000", "app_id": "cli_a"],
            "event": [
                "sender": ["sender_id": ["open_id": from], "sender_type": "user"],
                "message": ["message_id": "om_\(id)", "chat_type": "group", "message_type": "text", "content": content],
            ],
        ]
        return String(decoding: try! JSONSerialization.data(withJSONObject: body), as: UTF8.self)
    }

    @Test(arguments: ServiceFixture.Transport.allCases)
    func larkEventsAreVerifiedAndStoredOnce(_ transport: ServiceFixture.Transport) async throws {
        let world = try await Self.world()
        try await Application(router: try world.server.router()).test(transport.setup) { client in
            func post(_ body: String) async throws -> (HTTPResponse.Status, String) {
                let response = try await client.execute(
                    uri: "/lark/events", method: .post, headers: [.contentType: "application/json"], body: ByteBuffer(string: body))
                return (response.status, String(buffer: response.body))
            }
            let challenge = try await post(#"{"challenge":"ajls384kdjx98XX","token":"\#(Self.larkToken)","type":"url_verification"}"#)
            #expect(challenge.0 == .ok && challenge.1 == #"{"challenge":"ajls384kdjx98XX"}"#)
            let s9 = try await post(#"{"challenge":"x","token":"wrong","type":"url_verification"}"#)
            #expect(s9.0 == .unauthorized)
            let s10 = try await post(Self.larkEvent("進展 完成退款流程", id: "ev1", token: "wrong"))
            #expect(s10.0 == .unauthorized)
            let s11 = try await post(Self.larkEvent("@_user_1 卡關 後段 等資安審核", id: "ev2"))
            #expect(s11.0 == .ok)
            let s12 = try await post(Self.larkEvent("@_user_1 卡關 後段 等資安審核", id: "ev2"))
            #expect(s12.0 == .ok, "a redelivered event")
            let s13 = try await post(Self.larkEvent("進展 完成退款流程", id: "ev3", from: "ou_stranger"))
            #expect(s13.0 == .ok)
            let encrypted = try await post(#"{"encrypt":"FIAfJPGRmFZWkaxPQ1XrJZVbv2JwdjfLk4jx0k/U1deAqYK3AXOZ5zcHt/cC4ZNTqYwWUW/EoL+b2hW/C4zoAQQ=="}"#)
            #expect(encrypted.0 == .badRequest && encrypted.1.contains("Encrypt Key"))
        }
        let entries = try await world.app.store.entries(from: .distantPast, to: .distantFuture)
        #expect(entries.count == 1)
        #expect(entries.first?.person == "alice" && entries.first?.kind == .blocker && entries.first?.stage == .back)
        #expect(entries.first?.text == "等資安審核")
    }
}
