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

/// Delivery to every target kind. Most tests run twice: over the in-memory transport, and over
/// real HTTP (libcurl) against the loopback receiver, which also checks each platform's protocol.
@Suite struct CourierTests {
    let peer: any ChatPeer
    let context: AppContext
    let environment: [String: String]
    let log: MemoryLog
    let printed = Printed()

    /// `extra` is more config, given the receiver's base URL.
    init(_ kind: PeerKind = .live, targets: [String]? = nil, extra: (String) -> String = { _ in "" }) async throws {
        peer = try await kind.make()
        var (text, environment) = peer.config(targets: targets, extra: extra(peer.base))
        environment["BROKEN_URL"] = "http://exa mple.org/hook"
        (context, log) = try exampleContext(config: text, environment: environment, transport: peer.transport, printed: printed)
        self.environment = environment
    }

    init() async throws { try await self.init(.live, targets: nil) }

    func courier(_ policy: RetryPolicy = RetryPolicy(base: 0.05, cap: 1, maxAttempts: 6)) -> Courier {
        var courier = context.courier
        courier.policy = policy
        return courier
    }

    /// The parts of `markdown` for every target of the team, as the pipeline formats them.
    func parts(_ markdown: String) throws -> [OutboxParts] {
        let team = context.config.teams[0]
        let plan = ReportPlan(team: team, schedule: nil, period: ReportFixture.week, locale: "en", now: Date())
        return try context.pipeline.format(RenderedReport(plan: plan, kind: .team, markdown: markdown, targets: team.targets)).parts
    }

    /// Queues `markdown` for the team's targets and delivers it.
    @discardableResult
    func send(_ markdown: String, policy: RetryPolicy = RetryPolicy(base: 0.05, cap: 1, maxAttempts: 6), wait: TimeInterval = 90)
        async throws -> [Delivery]
    {
        let team = context.config.teams[0]
        let record = ReportRecord(
            team: team.id, schedule: "platform-weekly", periodStart: ReportFixture.week.start,
            periodEnd: ReportFixture.week.end, markdown: markdown, createdAt: Date())
        let (stored, _) = try await context.store.enqueue(record, parts: try parts(markdown), now: Date())
        return try await courier(policy).deliver(reports: [stored.id], until: Date().addingTimeInterval(wait))
    }

    static let report = try! ReportRenderer().teamReport(ReportFixture.report, locale: "en")

    @Test func everyKindReceivesItsDocumentedPayload() async throws {
        let deliveries = try await send(Self.report)
        #expect(Set(deliveries.map(\.target)).count == 12)
        #expect(deliveries.allSatisfy { $0.state == .sent }, "\(deliveries.filter { $0.state != .sent }.map { "\($0.target): \($0.lastError ?? "")" })")
        let requests = try await peer.requests()

        let slack = requests.first { $0.path.hasPrefix("/slack/") }!
        #expect(slack.headers["content-type"] == "application/json")
        #expect((slack.json["text"] as? String)?.hasPrefix("*Core Services · week of 16–22 Nov 2026*") == true)

        let discord = requests.first { $0.path.hasPrefix("/discord/") }!
        #expect(discord.query == "wait=true")
        #expect((discord.json["allowed_mentions"] as? [String: [String]])?["parse"] == [])
        #expect(deliveries.first { $0.target == "discord" }?.receipt?.isEmpty == false, "the message id is kept")

        let teams = requests.first { $0.path.hasPrefix("/teams/") }!
        let attachment = (teams.json["attachments"] as? [[String: Any]])?.first
        #expect(attachment?["contentType"] as? String == "application/vnd.microsoft.card.adaptive")
        let card = attachment?["content"] as? [String: Any]
        #expect(card?["type"] as? String == "AdaptiveCard" && card?["version"] as? String == "1.4")
        let blocks = card?["body"] as? [[String: Any]] ?? []
        #expect(blocks.count > 5 && blocks.allSatisfy { $0["type"] as? String == "TextBlock" && $0["wrap"] as? Bool == true })

        let telegram = requests.first { $0.path.hasPrefix("/telegram/") }!
        #expect(telegram.path == "/telegram/bot123:secret/sendMessage")
        #expect(telegram.json["parse_mode"] as? String == "HTML" && telegram.json["chat_id"] as? Int == -100200)
        #expect((telegram.json["text"] as? String)?.contains("<b>Core Services · week of 16–22 Nov 2026</b>") == true)

        let matrix = requests.first { $0.path.hasPrefix("/matrix/") }!
        let report = deliveries[0].report
        #expect(matrix.method == "PUT")
        #expect(matrix.path == "/matrix/_matrix/client/v3/rooms/%21room%2Fwith%3Aodd%20chars/send/m.room.message/narrate-\(report)-matrix-1")
        #expect(matrix.json["msgtype"] as? String == "m.notice" && matrix.json["format"] as? String == "org.matrix.custom.html")
        #expect((matrix.json["formatted_body"] as? String)?.hasPrefix("<h1>Core Services") == true)
        #expect((matrix.json["body"] as? String)?.hasPrefix("Core Services") == true)

        let zulip = requests.first { $0.path.hasPrefix("/zulip/") }!
        let form = URLComponents(string: "?" + zulip.body)!.queryItems!
        #expect(form.first { $0.name == "topic" }?.value == "weekly report")
        #expect(form.first { $0.name == "type" }?.value == "stream")
        #expect(zulip.headers["authorization"] == "Basic " + Data("bot@example.org:zulip-key".utf8).base64EncodedString())

        let ntfy = requests.first { $0.path.hasPrefix("/ntfy/") }!
        #expect(ntfy.headers["markdown"] == "yes" && ntfy.body.hasPrefix("# Core Services"))

        let hook = requests.first { $0.path.hasPrefix("/webhook/") }!
        #expect(hook.headers["webhook-id"] == "narrate-\(report)-hook-1")
        #expect(hook.headers["webhook-signature"]?.hasPrefix("v1,") == true, "the receiver checked it: a bad one is a 401")
        #expect(hook.json["markdown"] as? String == Self.report && hook.json["team"] as? String == "platform")

        let file = deliveries.first { $0.target == "archive" }!.receipt!
        #expect(file.hasSuffix("/reports/platform-2026-11-22.md"))
        #expect(try String(contentsOfFile: file, encoding: .utf8) == Self.report)
        #expect(printed.all == [Self.report])
    }

    @Test(arguments: PeerKind.allCases) func longReportsAreSplitWithinLimitsAndSentInOrder(_ kind: PeerKind) async throws {
        let extra = "\n[[target]]\nid = \"small\"\nkind = \"discord\"\nurl_env = \"DISCORD_URL\"\nlimit = 400\nrate = 50\n"
        let test = try await CourierTests(kind, targets: ["small"]) { _ in extra }
        let deliveries = try await test.send(Self.report)
        #expect(deliveries.count > 4 && deliveries.allSatisfy { $0.state == .sent })
        let contents = try await test.peer.requests("/discord/").map { $0.json["content"] as! String }
        #expect(contents.count == deliveries.count)
        for (index, content) in contents.enumerated() {
            #expect(content.unicodeScalars.count <= 400)
            #expect(content.hasSuffix("(\(index + 1)/\(contents.count))"), "parts arrive in order")
        }
        // Every person's progress is somewhere in the parts.
        for entry in ReportFixture.entries where entry.kind == .progress && entry.at >= ReportFixture.week.start {
            let words = entry.text.split(separator: " ").prefix(3).joined(separator: " ")
            #expect(contents.contains { $0.contains(words) }, "\(words)")
        }
    }

    @Test(arguments: PeerKind.allCases) func serverErrorsAreRetriedUntilTheySucceed(_ kind: PeerKind) async throws {
        let test = try await CourierTests(kind, targets: ["slack"])
        try await test.peer.plan("/slack/", [["status": 500, "body": "oops"], ["status": 503]])
        let deliveries = try await test.send("# Hi\n\nshort report\n")
        #expect(deliveries.map(\.state) == [.sent])
        #expect(deliveries[0].attempts == 3)
        #expect(try await test.peer.requests("/slack/").count == 3)
    }

    @Test(arguments: PeerKind.allCases) func retryAfterHeaderIsHonoured(_ kind: PeerKind) async throws {
        let test = try await CourierTests(kind, targets: ["slack"])
        try await test.peer.plan("/slack/", [["status": 429, "retry_after": "1", "body": "rate_limited"]])
        let deliveries = try await test.send("short\n")
        #expect(deliveries.map(\.state) == [.sent])
        let times = try await test.peer.requests("/slack/").map(\.time)
        #expect(times.count == 2)
        #expect(times[1] - times[0] >= 0.95, "waited for Retry-After, not the 50 ms backoff")
    }

    @Test(arguments: PeerKind.allCases) func platformWaitsInBodiesAreHonoured(_ kind: PeerKind) async throws {
        let test = try await CourierTests(kind, targets: ["discord", "matrix", "telegram"])
        try await test.peer.plan("/discord/", [["status": 429, "body": ["message": "You are being rate limited.", "retry_after": 0.6, "global": false]]])
        try await test.peer.plan("/matrix/", [["status": 429, "body": ["errcode": "M_LIMIT_EXCEEDED", "error": "Too Many Requests", "retry_after_ms": 700]]])
        try await test.peer.plan("/telegram/", [["status": 429, "body": ["ok": false, "error_code": 429, "description": "Too Many Requests: retry after 1", "parameters": ["retry_after": 1]]]])
        let deliveries = try await test.send("short\n")
        #expect(deliveries.allSatisfy { $0.state == .sent })
        for (prefix, wait) in [("/discord/", 0.55), ("/matrix/", 0.65), ("/telegram/", 0.95)] {
            let times = try await test.peer.requests(prefix).map(\.time)
            #expect(times.count == 2 && times[1] - times[0] >= wait, "\(prefix)")
        }
        // A resend of a Matrix part uses the same txnId: the homeserver keeps one event.
        let paths = try await test.peer.requests("/matrix/").map(\.path)
        #expect(Set(paths).count == 1)
    }

    @Test(arguments: PeerKind.allCases) func droppedConnectionsAndTimeoutsAreRetried(_ kind: PeerKind) async throws {
        let test = try await CourierTests(kind, targets: ["slack"])
        try await test.peer.plan("/slack/", [["close": true], ["hang": 4]])
        let deliveries = try await test.send("short\n")
        #expect(deliveries.map(\.state) == [.sent])
        #expect(deliveries[0].attempts == 3)
        let logged = test.log.all.joined(separator: "\n")
        #expect(logged.contains("timeout:"))
        #expect(!logged.contains("secretpath"), "no secret in the log")
    }

    @Test(arguments: PeerKind.allCases) func permanentErrorsParkWithThePlatformsOwnText(_ kind: PeerKind) async throws {
        let test = try await CourierTests(kind, targets: ["slack", "discord", "zulip", "gchat"])
        try await test.peer.plan("/slack/", [["status": 400, "body": "invalid_payload", "content_type": "text/plain"]])
        try await test.peer.plan("/discord/", [["status": 404, "body": ["message": "Unknown Webhook", "code": 10015]]])
        try await test.peer.plan("/google-chat/", [["status": 403, "body": ["error": ["code": 403, "message": "The caller does not have permission", "status": "PERMISSION_DENIED"]]]])
        let deliveries = try await test.send("short\n")
        let errors = Dictionary(uniqueKeysWithValues: deliveries.map { ($0.target, $0.lastError ?? "") })
        #expect(deliveries.filter { $0.state == .parked }.map(\.target).sorted() == ["discord", "gchat", "slack"])
        #expect(errors["slack"] == "HTTP 400: invalid_payload")
        #expect(errors["discord"] == "HTTP 404: Unknown Webhook")
        #expect(errors["gchat"] == "HTTP 403: PERMISSION_DENIED: The caller does not have permission")
        #expect(deliveries.first { $0.target == "zulip" }?.state == .sent)
        #expect(try await test.peer.requests("/slack/").count == 1, "a 400 is not retried")
    }

    @Test func oversizedContentIsReportedByTheTarget() async throws {
        let test = try await CourierTests(.live, targets: ["nowhere"]) { base in
            "\n[[target]]\nid = \"nowhere\"\nkind = \"zulip\"\nsite = \"\(base)/zulip\"\nemail = \"bot@example.org\"\napi_key_env = \"ZULIP_KEY\"\nstream = \"nowhere\"\ntopic = \"t\"\n"
        }
        let deliveries = try await test.send("short\n")
        #expect(deliveries.map(\.state) == [.parked])
        #expect(deliveries[0].lastError == "HTTP 400: Stream 'nowhere' does not exist (STREAM_DOES_NOT_EXIST)")
    }

    @Test(arguments: PeerKind.allCases) func laterPartsWaitBehindAParkedPartAndRetryResumes(_ kind: PeerKind) async throws {
        let extra = "\n[[target]]\nid = \"small\"\nkind = \"discord\"\nurl_env = \"DISCORD_URL\"\nlimit = 400\nrate = 50\n"
        let test = try await CourierTests(kind, targets: ["small"]) { _ in extra }
        try await test.peer.plan("/discord/", [["status": 204], ["status": 400, "body": ["message": "Invalid Form Body", "code": 50035]]])
        let first = try await test.send(Self.report)
        #expect(first[0].state == .sent && first[1].state == .parked && first[1].lastError == "HTTP 400: Invalid Form Body")
        #expect(first.dropFirst(2).allSatisfy { $0.state == .parked && $0.lastError == "not sent: part 2 was parked" })
        #expect(try await test.peer.requests("/discord/").count == 2)

        await #expect(try test.context.deliveries.retry(ids: nil) == first.count - 1)
        let second = try await test.courier().deliver(reports: [first[0].report], until: Date().addingTimeInterval(30))
        #expect(second.allSatisfy { $0.state == .sent })
        let contents = try await test.peer.requests("/discord/").map { $0.json["content"] as? String ?? "" }
        #expect(contents.count == first.count + 1)
        #expect(contents.dropFirst(2).first?.hasSuffix("(2/\(first.count))") == true)
    }

    @Test(arguments: PeerKind.allCases) func retriesStopAfterTheLimit(_ kind: PeerKind) async throws {
        let test = try await CourierTests(kind, targets: ["slack"])
        try await test.peer.plan("/slack/", Array(repeating: ["status": 502], count: 5))
        let deliveries = try await test.send("short\n", policy: RetryPolicy(base: 0.02, cap: 0.1, maxAttempts: 3))
        #expect(deliveries.map(\.state) == [.parked])
        #expect(deliveries[0].lastError == "HTTP 502 (gave up after 3 attempts)")
    }

    @Test(arguments: PeerKind.allCases) func retryLimitsComeFromTheTargetsConfig(_ kind: PeerKind) async throws {
        let extra = "\n[[target]]\nid = \"patient\"\nkind = \"slack\"\nurl_env = \"SLACK_URL\"\nretries = 2\n"
        let test = try await CourierTests(kind, targets: ["patient"]) { _ in extra }
        try await test.peer.plan("/slack/", Array(repeating: ["status": 500], count: 4))
        let deliveries = try await test.send("short\n")
        #expect(deliveries.map(\.state) == [.parked])
        #expect(deliveries[0].lastError == "HTTP 500 (gave up after 2 attempts)")
        #expect(try await test.peer.requests("/slack/").count == 2)
    }

    @Test(arguments: PeerKind.allCases) func telegramChatMigrationIsFollowed(_ kind: PeerKind) async throws {
        let test = try await CourierTests(kind, targets: ["telegram"])
        try await test.peer.plan("/telegram/", [["status": 400, "body": [
            "ok": false, "error_code": 400, "description": "Bad Request: group chat was upgraded to a supergroup chat",
            "parameters": ["migrate_to_chat_id": -100999],
        ]]])
        let deliveries = try await test.send("short\n")
        #expect(deliveries.map(\.state) == [.sent])
        let chats = try await test.peer.requests("/telegram/").map { $0.json["chat_id"] as? Int }
        #expect(chats == [-100200, -100999])
        #expect(test.log.all.contains { $0.contains("set chat_id = \"-100999\" in the config") })
    }

    @Test(arguments: PeerKind.allCases) func aPartLeftInFlightByADeadProcessIsSentAgainAlone(_ kind: PeerKind) async throws {
        let extra = "\n[[target]]\nid = \"small\"\nkind = \"discord\"\nurl_env = \"DISCORD_URL\"\nlimit = 400\nrate = 50\ntimeout = 1\n"
        let test = try await CourierTests(kind, targets: ["small"]) { _ in extra }
        let team = test.context.config.teams[0]
        let record = ReportRecord(team: team.id, schedule: nil, periodStart: Date(), periodEnd: Date(), markdown: Self.report, createdAt: Date())
        let (stored, deliveries) = try await test.context.store.enqueue(record, parts: try test.parts(Self.report), now: Date())
        try await test.context.store.finishAttempt(deliveries[0].id, state: .sent, at: Date())
        await #expect(try test.context.store.beginSending(deliveries[1].id, now: Date().addingTimeInterval(-60)))
        let final = try await test.courier().deliver(reports: [stored.id], until: Date().addingTimeInterval(30))
        #expect(final.allSatisfy { $0.state == .sent })
        let contents = try await test.peer.requests("/discord/").map { $0.json["content"] as? String ?? "" }
        #expect(contents.count == deliveries.count - 1)
        #expect(contents.first?.hasSuffix("(2/\(deliveries.count))") == true)
    }

    @Test(arguments: PeerKind.allCases) func aPartInFlightElsewhereIsLeftAlone(_ kind: PeerKind) async throws {
        let test = try await CourierTests(kind, targets: ["slack"])
        let team = test.context.config.teams[0]
        let record = ReportRecord(team: team.id, schedule: nil, periodStart: Date(), periodEnd: Date(), markdown: "x\n", createdAt: Date())
        let (stored, deliveries) = try await test.context.store.enqueue(record, parts: try test.parts("x\n"), now: Date())
        await #expect(try test.context.store.beginSending(deliveries[0].id, now: Date()))
        let final = try await test.courier().deliver(reports: [stored.id], until: Date().addingTimeInterval(2))
        #expect(final.map(\.state) == [.sending])
        #expect(try await test.peer.requests("/slack/").isEmpty)
    }

    @Test(arguments: PeerKind.allCases) func secretsStayOutOfErrorsLogsAndTheStore(_ kind: PeerKind) async throws {
        let test = try await CourierTests(kind, targets: ["slack", "telegram"])
        try await test.peer.plan("/slack/", [["status": 400, "body": "no_service"]])
        try await test.peer.plan("/telegram/", [["status": 401, "body": ["ok": false, "error_code": 401, "description": "Unauthorized"]]])
        let deliveries = try await test.send("short\n")
        #expect(deliveries.allSatisfy { $0.state == .parked })
        let everything = test.log.all.joined() + deliveries.compactMap(\.lastError).joined()
        for secret in ["secretpath", "123:secret", "T000/B000"] {
            #expect(!everything.contains(secret), "\(secret)")
        }
        let database = try Data(contentsOf: URL(fileURLWithPath: test.context.stateDir + "/narrate.sqlite"))
        #expect(database.range(of: Data("secretpath".utf8)) == nil)
    }

    @Test(arguments: PeerKind.allCases) func messagesToOneTargetAreSpacedByItsRate(_ kind: PeerKind) async throws {
        let extra = "\n[[target]]\nid = \"paced\"\nkind = \"slack\"\nurl_env = \"SLACK_URL\"\nlimit = 300\nrate = 2\n"
        let test = try await CourierTests(kind, targets: ["paced"]) { _ in extra }
        let deliveries = try await test.send(Self.report)
        #expect(deliveries.count >= 3 && deliveries.allSatisfy { $0.state == .sent })
        let times = try await test.peer.requests("/slack/").map(\.time)
        for (earlier, later) in zip(times, times.dropFirst()) {
            #expect(later - earlier >= 0.45, "at most 2 messages a second")
        }
    }

    @Test(arguments: PeerKind.allCases) func aSlowTargetDoesNotDelayTheOthers(_ kind: PeerKind) async throws {
        let extra = """

            [[target]]
            id = "small"
            kind = "discord"
            url_env = "DISCORD_URL"
            limit = 400
            rate = 50

            [[target]]
            id = "slow"
            kind = "slack"
            url_env = "SLACK_URL"
            timeout = 20

            """
        let test = try await CourierTests(kind, targets: ["slow", "small"]) { _ in extra }
        // Slack hangs for its whole 20-second timeout, then succeeds on the retry. Long, so that
        // a machine busy with the rest of the suite still sends Discord's parts meanwhile.
        try await test.peer.plan("/slack/", [["hang": 25]])
        let deliveries = try await test.send(Self.report, wait: 90)
        #expect(deliveries.allSatisfy { $0.state == .sent })
        let discord = try await test.peer.requests("/discord/").map(\.time)
        let slack = try await test.peer.requests("/slack/").map(\.time)
        try #require(discord.count > 4 && slack.count == 2)
        // Slack's retry comes after its hang; every Discord part went out before that.
        #expect(discord.last! < slack[1], "Discord waited for Slack: \(discord.map { $0 - slack[0] }) vs \(slack[1] - slack[0])")
    }

    @Test(arguments: PeerKind.allCases) func aMalformedURLIsParkedNotRetried(_ kind: PeerKind) async throws {
        let extra = "\n[[target]]\nid = \"broken\"\nkind = \"slack\"\nurl_env = \"BROKEN_URL\"\n"
        let test = try await CourierTests(kind, targets: ["broken"]) { _ in extra }
        let context = test.context
        var courier = test.courier()
        if kind == .memory {
            // What curl says of such a URL, for the in-memory transport to say too.
            courier = Courier(
                outbox: context.store, config: context.config, transport: PermanentFailure(), secrets: context.secrets,
                stateDir: context.stateDir, logger: test.log.logger, policy: courier.policy, clock: context.clock, output: { _ in })
        }
        let team = context.config.teams[0]
        let record = ReportRecord(team: team.id, schedule: nil, periodStart: Date(), periodEnd: Date(), markdown: "x\n", createdAt: Date())
        let (stored, _) = try await context.store.enqueue(record, parts: try test.parts("x\n"), now: Date())
        let final = try await courier.deliver(reports: [stored.id], until: Date().addingTimeInterval(10))
        #expect(final.map(\.state) == [.parked])
        #expect(final[0].attempts == 1, "not retried")
        #expect(final[0].lastError?.hasPrefix("network: ") == true)
    }
}

/// A transport that fails every request the way curl fails a malformed URL.
struct PermanentFailure: HTTPTransport {
    func send(_ request: HTTPRequest) async throws -> HTTPResponse {
        throw TransportError(message: "URL using bad/illegal format or missing URL", isPermanent: true)
    }
}
