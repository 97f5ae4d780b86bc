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
import NarrateStore

/// A signed chat request is acted on once and only while fresh; wrong tokens never lock a
/// valid one out, and a proxy's `X-Forwarded-For` is believed only from `trusted_proxies`.
@Suite struct ReplayAndLockoutTests {
    static let command = #"{"id":"1234567890","type":2,"member":{"user":{"id":"80351110224678912"}},"data":{"name":"narrate","options":[{"name":"next","type":1,"options":[{"name":"text","value":"Book the review"}]}]}}"#

    /// Discord's headers with any timestamp text, validly signed over it.
    static func signed(_ body: String, stamp: String) throws -> HTTPFields {
        let signature = try ServiceFixture.discordKey.signature(for: Array((stamp + body).utf8))
        return [
            .contentType: "application/json", HTTPField.Name("X-Signature-Timestamp")!: stamp,
            HTTPField.Name("X-Signature-Ed25519")!: signature.map { String(format: "%02x", $0) }.joined(),
        ]
    }

    @Test func aDiscordInteractionIsActedOnOnceAndOnlyWhileFresh() async throws {
        let fixture = try ServiceFixture()
        try await fixture.test(.router) { client in
            for stamp in ["1000000000", "abc", "", String(Int(Date().timeIntervalSince1970) - 600), "+\(Int(Date().timeIntervalSince1970))"] {
                let stale = try await client.execute(
                    uri: "/discord/interactions", method: .post, headers: try Self.signed(Self.command, stamp: stamp), body: ByteBuffer(string: Self.command))
                #expect(stale.status == .unauthorized, "timestamp \(stamp): \(stale.body.text)")
            }
            let headers = try Self.signed(Self.command, stamp: String(Int(Date().timeIntervalSince1970)))
            let first = try await client.execute(uri: "/discord/interactions", method: .post, headers: headers, body: ByteBuffer(string: Self.command))
            #expect(first.status == .ok)
            let again = try await client.execute(uri: "/discord/interactions", method: .post, headers: headers, body: ByteBuffer(string: Self.command))
            #expect(again.status == .unauthorized && again.body.text.contains("already received"), "\(again.body.text)")
        }
        await #expect(try fixture.entryCount() == 1)
    }

    @Test func aSlackCommandIsActedOnOnce() async throws {
        let fixture = try ServiceFixture()
        let body = formEncoded([("user_id", "U0ALICE"), ("text", "next Book the review")])
        let headers = slackHeaders(body)
        try await fixture.test(.router) { client in
            let first = try await client.execute(uri: "/slack/commands", method: .post, headers: headers, body: ByteBuffer(string: body))
            #expect(first.status == .ok)
            let again = try await client.execute(uri: "/slack/commands", method: .post, headers: headers, body: ByteBuffer(string: body))
            #expect(again.status == .unauthorized)
        }
        await #expect(try fixture.entryCount() == 1)
    }

    /// Two instances on one store (behind one load balancer): a request one acted on is a
    /// replay for the other. Each instance kept its own memory before, and both acted on it.
    @Test func aReplayToAnotherInstanceOnTheSameStoreIsRefused() async throws {
        let fixture = try ServiceFixture()
        let app = fixture.app
        let sqlite = try #require(app.store as? SQLiteStore)
        let secondApp = AppContext(
            config: app.config, store: try SQLiteStore(path: sqlite.path), stateDir: app.stateDir, logger: app.logger,
            clock: app.clock, secrets: app.secrets, transport: app.transport, renderer: app.renderer, output: app.output)
        let second = Application(
            router: try CheckInServer(current: { secondApp }, rate: 1000).router(), configuration: .init(address: .hostname("127.0.0.1", port: 0)))
        let body = formEncoded([("user_id", "U0ALICE"), ("text", "next Book the review")])
        let headers = slackHeaders(body)
        try await fixture.test(.router) { client in
            let first = try await client.execute(uri: "/slack/commands", method: .post, headers: headers, body: ByteBuffer(string: body))
            #expect(first.status == .ok)
        }
        try await second.test(.router) { client in
            let again = try await client.execute(uri: "/slack/commands", method: .post, headers: headers, body: ByteBuffer(string: body))
            #expect(again.status == .unauthorized && again.body.text.contains("already received"), "\(again.body.text)")
        }
        await #expect(try fixture.entryCount() == 1)
    }

    @Test func wrongTokensDoNotLockOutAValidOneFromTheSameAddress() async throws {
        let fixture = try ServiceFixture(rate: 3)
        let alice = try await fixture.app.tokens.create(for: fixture.person("alice"))
        try await fixture.test(.live) { client in
            var statuses: [HTTPResponse.Status] = []
            for index in 0..<5 {
                statuses.append(try await client.execute(uri: "/v1/entries", method: .get, headers: bearer("wrong-\(index)", json: false)).status)
            }
            #expect(statuses == [.unauthorized, .unauthorized, .unauthorized, .tooManyRequests, .tooManyRequests])
            #expect(try await client.execute(uri: "/v1/entries", method: .get, headers: bearer(alice.apiToken, json: false)).status == .ok)
            #expect(try await client.execute(uri: "/checkin/\(alice.link)", method: .get).status == .ok)
            // Wrong links count against the same address; the page's own link still opens.
            #expect(try await client.execute(uri: "/checkin/nope", method: .get).status == .tooManyRequests)
            #expect(try await client.execute(uri: "/teams/platform?token=\(alice.link)", method: .get).status == .ok)
        }
    }

    @Test(arguments: [true, false])
    func forwardedForIsBelievedOnlyFromATrustedProxy(trusted: Bool) async throws {
        let fixture = try ServiceFixture(rate: 2, extraHTTP: trusted ? #"trusted_proxies = ["127.0.0.1", "::1"]"# : "")
        try await fixture.test(.live) { client in
            func attempt(from address: String) async throws -> HTTPResponse.Status {
                var headers = bearer("wrong", json: false)
                headers[HTTPField.Name("X-Forwarded-For")!] = "198.51.100.7, \(address)"
                return try await client.execute(uri: "/v1/entries", method: .get, headers: headers).status
            }
            for _ in 0..<3 { _ = try await attempt(from: "203.0.113.5") }
            #expect(try await attempt(from: "203.0.113.5") == .tooManyRequests)
            // Another client behind the proxy is its own address only when the proxy is trusted.
            #expect(try await attempt(from: "203.0.113.6") == (trusted ? .unauthorized : .tooManyRequests))
        }
    }

    @Test func trustedProxiesMustBeAddresses() throws {
        let found = diagnostics(ExampleConfig.text + """

            [http]
            trusted_proxies = ["127.0.0.1", "proxy.internal"]
            """)
        #expect(found.contains { $0.keyPath == "http.trusted_proxies" && $0.message.contains("\"proxy.internal\" is not an IP address") }, "\(found)")
    }
}

/// Bodies past the limit: 413 whether or not they say their length, never a 500.
@Suite struct OversizedBodyTests {
    @Test func aChunkedBodyPastTheLimitIs413AndLogsNoError() async throws {
        let cli = CLI(config: ExampleConfig.text + "\n[http]\nlisten = \"127.0.0.1:0\"\n")
        let created = try await cli.run("token", "create", "alice", "--json")
        let token = try #require(try JSONSerialization.jsonObject(with: Data(created.stdout.utf8)) as? [String: Any])["api_token"] as? String
        let serve = try await ServeProcess(cli)
        defer { serve.stop() }
        let port = try await serve.port()
        // Python's http.client sends the megabyte in 64 KiB chunks, with no Content-Length.
        let script = """
            import http.client, sys
            connection = http.client.HTTPConnection("127.0.0.1", \(port), timeout=30)
            chunks = (b"a" * 65536 for _ in range(16))
            try:
                connection.request("POST", "/v1/entries", body=chunks, encode_chunked=True,
                                   headers={"Authorization": "Bearer \(token ?? "")", "Content-Type": "application/json"})
                response = connection.getresponse()
                print(response.status, response.read().decode())
            except (BrokenPipeError, ConnectionResetError):
                print("reset")
            """
        let printed = try await SlowClientTests.python(script)
        #expect(printed.hasPrefix("413 ") && printed.contains("too-large"), "\(printed)")
        #expect(!serve.log.contains("error"), "\(serve.log)")
    }
}

/// Slow clients and piles of connections: a whole request has a deadline, and one address holds
/// a bounded number of connections.
@Suite struct SlowClientTests {
    /// Runs a Python script against the port; returns what it printed.
    static func python(_ script: String) async throws -> String {
        let process = try await ChildProcess.run("/usr/bin/env", ["python3", "-c", script])
        return process.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    @Test func aRequestSentAByteAtATimeIsCutOffAtItsDeadline() async throws {
        let cli = CLI(config: ExampleConfig.text + "\n[http]\nlisten = \"127.0.0.1:0\"\nrequest_timeout = \"2s\"\n")
        let serve = try await ServeProcess(cli)
        defer { serve.stop() }
        let port = try await serve.port()
        // Headers a byte every 0.3 s (the idle timeout would restart with each): closed at about 2 s.
        let closedAfter = try await Self.python("""
            import socket, time
            s = socket.create_connection(("127.0.0.1", \(port)))
            start = time.monotonic()
            try:
                for byte in b"GET /healthz HTTP/1.1\\r\\nHost: x\\r\\nX-Slow: " + b"a" * 100:
                    s.send(bytes([byte]))
                    time.sleep(0.3)
                    if time.monotonic() - start > 10: break
            except (BrokenPipeError, ConnectionResetError):
                pass
            s.settimeout(10)
            try:
                s.recv(100)
            except (ConnectionResetError, socket.timeout):
                pass
            print(round(time.monotonic() - start, 1))
            """)
        let seconds = try #require(Double(closedAfter), "\(closedAfter)")
        #expect(seconds >= 1.5 && seconds < 6, "closed after \(seconds) s")
        // A request sent at once is answered as before.
        let quick = try await Self.python("""
            import urllib.request
            print(urllib.request.urlopen("http://127.0.0.1:\(port)/healthz", timeout=10).status)
            """)
        #expect(quick == "200")
    }

    @Test func oneAddressHoldsABoundedNumberOfConnections() async throws {
        let cli = CLI(config: ExampleConfig.text + "\n[http]\nlisten = \"127.0.0.1:0\"\nmax_connections_per_address = 3\n")
        let serve = try await ServeProcess(cli)
        defer { serve.stop() }
        let port = try await serve.port()
        // Six idle connections: the server closes the three past the cap at once; then, with them
        // gone, a request on a new connection is answered.
        let counts = try await Self.python("""
            import socket, time, urllib.request
            held = [socket.create_connection(("127.0.0.1", \(port))) for _ in range(6)]
            time.sleep(0.5)
            closed = 0
            for s in held:
                s.settimeout(0.5)
                try:
                    if s.recv(1) == b"": closed += 1
                except socket.timeout:
                    pass
                except ConnectionResetError:
                    closed += 1
            for s in held[:3]: s.close()
            time.sleep(0.3)
            status = urllib.request.urlopen("http://127.0.0.1:\(port)/healthz", timeout=10).status
            print(closed, status)
            """)
        #expect(counts == "3 200", "\(counts)")
    }
}
