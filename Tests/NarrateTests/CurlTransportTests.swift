import Foundation
import Testing
@testable import NarrateApp
@testable import NarrateModel
@testable import NarrateTOML
@testable import NarrateConfig
@testable import NarrateReport
@testable import NarrateTargets
@testable import NarratePlatform
@testable import NarrateDelivery
@testable import NarrateStore

@Suite struct CurlTransportTests {
    @Test func statusHeadersAndBodyComeBackAsValues() async throws {
        let receiver = try await Receiver()
        let response = try await liveTransport.send(HTTPRequest(
            url: receiver.base + "/slack/x", headers: [("Content-Type", "application/json"), ("X-Test", "1")],
            body: Data(#"{"text":"hi"}"#.utf8)))
        #expect(response.status == 200 && response.text == "ok")
        #expect(response.header("Content-Type") == "text/plain")
        let seen = try await receiver.requests("/slack/")
        #expect(seen.count == 1 && seen[0].headers["x-test"] == "1" && seen[0].body == #"{"text":"hi"}"#)
        #expect(seen[0].headers["user-agent"]?.hasPrefix("narrate/") == true)

        let missing = try await liveTransport.send(HTTPRequest(url: receiver.base + "/nothing", body: Data("x".utf8)))
        #expect(missing.status == 404, "a 4xx is a response, not an error")
    }

    @Test func timeoutsAndRefusedConnectionsAreTransportErrors() async throws {
        let receiver = try await Receiver()
        // The server would answer after 20 s; the 0.5 s timeout ends the request long before (a
        // wide margin: a loaded machine must not fail this).
        try await receiver.plan("/slack/", [["hang": 20]])
        let started = Date()
        await #expect {
            try await liveTransport.send(HTTPRequest(url: receiver.base + "/slack/x", body: Data("{}".utf8), timeout: 0.5))
        } throws: { error in
            (error as? TransportError)?.isTimeout == true
        }
        #expect(Date().timeIntervalSince(started) < 10)
        await #expect(throws: TransportError.self) {
            try await liveTransport.send(HTTPRequest(url: "http://127.0.0.1:1/x", body: Data()))
        }
    }

    @Test func cancellingASendRemovesItsTransferAtOnce() async throws {
        let receiver = try await Receiver()
        // Margins wide enough for a loaded machine: a transfer that ignored the cancel would end
        // at its 60 s timeout or the 60 s hang, far past the 30 s allowed.
        try await receiver.plan("/slack/", [["hang": 60]])
        let started = Date()
        let task = Task {
            try await liveTransport.send(HTTPRequest(url: receiver.base + "/slack/x", body: Data("{}".utf8), timeout: 60))
        }
        // Cancel once the receiver holds the request (on a loaded machine it may take a while to
        // arrive; cancelled before, it would leave the hang for the next request).
        while try await receiver.requests("/slack/x").isEmpty, Date().timeIntervalSince(started) < 5 {
            try await Task.sleep(nanoseconds: 20_000_000)
        }
        let cancelled = Date()
        task.cancel()
        await #expect(throws: CancellationError.self) { try await task.value }
        #expect(Date().timeIntervalSince(cancelled) < 30, "the transfer ended on cancel, not when the hang or the timeout did")
        // The transport keeps serving other requests.
        let next = try await liveTransport.send(HTTPRequest(
            url: receiver.base + "/slack/y", headers: [("Content-Type", "application/json")], body: Data(#"{"text":"hi"}"#.utf8)))
        #expect(next.status == 200)
    }

    @Test func stoppingTheServiceEndsTransfersInFlightAndRefusesNewOnes() async throws {
        let receiver = try await Receiver()
        try await receiver.plan("/slack/", [["hang": 60]])
        let transport = CurlTransport()
        let started = Date()
        let runner = Task { try await transport.run() }
        // The sender itself is never cancelled: only the service stops.
        let sender = Task {
            try await transport.send(HTTPRequest(url: receiver.base + "/slack/x", body: Data("{}".utf8), timeout: 60))
        }
        try await Task.sleep(nanoseconds: 300_000_000)
        runner.cancel()
        try await runner.value
        await #expect(throws: CancellationError.self) { try await sender.value }
        #expect(Date().timeIntervalSince(started) < 30, "ended with the service, not when the 60 s hang did")
        await #expect(throws: CancellationError.self) {
            try await transport.send(HTTPRequest(url: receiver.base + "/slack/z", body: Data()))
        }
    }

    @Test func aMalformedURLIsAPermanentError() async throws {
        for url in ["http://exa mple.org/hook", "gopher://example.org/hook"] {
            await #expect {
                try await liveTransport.send(HTTPRequest(url: url, body: Data()))
            } throws: { error in
                (error as? TransportError)?.isPermanent == true
            }
        }
    }

    @Test func manyRequestsRunConcurrentlyOnOneThread() async throws {
        let receiver = try await Receiver()
        let statuses = try await withThrowingTaskGroup(of: Int.self) { group in
            for index in 0..<30 {
                group.addTask {
                    try await liveTransport.send(HTTPRequest(
                        url: receiver.base + "/slack/\(index)", headers: [("Content-Type", "application/json")],
                        body: Data(#"{"text":"\#(index)"}"#.utf8))).status
                }
            }
            return try await group.reduce(into: []) { $0.append($1) }
        }
        #expect(statuses.count == 30 && statuses.allSatisfy { $0 == 200 })
        #expect(try await receiver.requests("/slack/").count == 30)
    }

    /// A finished transfer's handle is reset and used for the next one: nothing of one request
    /// (headers, time limit, a Unix socket) carries over.
    @Test func aReusedHandleCarriesNothingOver() async throws {
        let receiver = try await Receiver()
        try await CurlTransport.withRunning { transport in
            _ = try await transport.send(HTTPRequest(
                url: receiver.base + "/hook/first", headers: [("X-First", "1"), ("Content-Type", "application/json")],
                body: Data(#"{"text":"first"}"#.utf8), timeout: 0.5))
            await #expect(throws: TransportError.self) {
                try await transport.send(HTTPRequest(url: receiver.base + "/hook/socket", unixSocket: "/nonexistent/narrate.sock"))
            }
            try await receiver.plan("/hook/second", [["status": 200, "delay": 1]])
            let second = try await transport.send(HTTPRequest(url: receiver.base + "/hook/second", body: Data("{}".utf8)))
            #expect(second.status == 200, "neither the 0.5 s limit nor the socket carried over")
        }
        let seen = try await receiver.requests("/hook/")
        #expect(seen.map(\.path) == ["/hook/first", "/hook/second"])
        #expect(seen.last?.headers["x-first"] == nil && seen.last?.body == "{}", "\(String(describing: seen.last))")
    }

    /// Header lines as libcurl hands them over, read from their bytes.
    @Test func headerLinesAreReadFromTheirBytes() {
        let cases: [(String, (String, String)?)] = [
            ("Content-Type: text/plain\r\n", ("content-type", "text/plain")),
            ("Retry-After:\t 30 \r\n", ("retry-after", "30")),
            ("X-Empty:\r\n", ("x-empty", "")),
            ("  Odd-Name  : a: b\r\n", ("odd-name", "a: b")),
            ("X-Ünï: värde\r\n", ("x-Ünï", "värde")),
            ("\r\n", nil),
        ]
        for (line, expected) in cases {
            let field = Array(line.utf8).withUnsafeBytes { HeaderField($0) }
            #expect(field?.name == expected?.0 && field?.value == expected?.1, "\(line.debugDescription)")
        }
    }

    @Test func tlsVerificationIsOn() async throws {
        // A plain-HTTP server spoken to over https fails the handshake instead of sending anything.
        let receiver = try await Receiver()
        await #expect(throws: TransportError.self) {
            try await liveTransport.send(HTTPRequest(url: "https://127.0.0.1:\(receiver.port)/slack/x", body: Data("{}".utf8), timeout: 3))
        }
    }

    @Test func retryAfterTakesSecondsOrAnHTTPDate() {
        let now = Date(timeIntervalSince1970: 1_800_000_000)
        #expect(RetryAfter.parse("3", now: now) == 3)
        #expect(RetryAfter.parse("1.5", now: now) == 1.5)
        #expect(RetryAfter.parse("Fri, 15 Jan 2027 08:00:10 GMT", now: Date(timeIntervalSince1970: 1_800_000_000)) != nil)
        let date = "Wed, 21 Oct 2015 07:28:00 GMT"
        #expect(RetryAfter.parse(date, now: Date(timeIntervalSince1970: 1_445_412_470)) == 10)
        #expect(RetryAfter.parse("soon", now: now) == nil)
        // The same format is what the check-in service writes in `Date`.
        #expect(HTTPDate.string(from: Date(timeIntervalSince1970: 1_445_412_480)) == date)
        #expect(HTTPDate.string(from: Date(timeIntervalSince1970: 784_111_777)) == "Sun, 06 Nov 1994 08:49:37 GMT")
    }

    @Test func backoffGrowsWithJitterAndHonoursTheTargetsWait() {
        let policy = RetryPolicy(base: 2, cap: 60)
        #expect(policy.delay(afterAttempt: 1, retryAfter: nil, random: 0) == 1)
        #expect(policy.delay(afterAttempt: 1, retryAfter: nil, random: 1) == 2)
        #expect(policy.delay(afterAttempt: 3, retryAfter: nil, random: 1) == 8)
        #expect(policy.delay(afterAttempt: 10, retryAfter: nil, random: 1) == 60)
        #expect(policy.delay(afterAttempt: 1, retryAfter: 7, random: 0) == 7)
    }
}
