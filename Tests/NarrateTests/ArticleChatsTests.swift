import Foundation
import Testing
@testable import NarrateApp
@testable import NarrateModel
@testable import NarrateReport
@testable import NarrateTargets
@testable import NarrateDelivery
@testable import NarrateStore

/// The chats where the articles' readers work: LINE, Lark / Feishu, DingTalk and WeCom, each
/// delivered to the loopback receiver, which speaks their documented APIs (signatures, limits,
/// errors in a 200 body, LINE's retry key, DingTalk's msgUuid).
@Suite struct ArticleChatsTests {
    static let lineTo = "U" + String(repeating: "4af4980629", count: 3) + "ab"

    /// Nine weekly reports of the fixture team in zh-Hant, one after another: a quarter's reading.
    static let nineWeeks: String = {
        let week = try! ReportRenderer().teamReport(ReportFixture.report, locale: "zh-Hant")
        return (1...9).map { "# 第 \($0) 週\n\n" + week }.joined(separator: "\n\n")
    }()

    /// A courier test whose team posts to the four kinds (and Feishu), secrets in files.
    static func chats(_ peer: PeerKind = .live) async throws -> CourierTests {
        let secrets = temporaryDirectory("chat-secrets")
        for (name, value) in [
            ("line-token", "line-channel-token"), ("lark-secret", "lark-signing-secret"), ("dingtalk-secret", "SECdingtalk-signing-secret"),
        ] {
            try value.write(toFile: secrets + "/" + name, atomically: true, encoding: .utf8)
        }
        return try await CourierTests(peer, targets: ["line", "lark", "feishu", "dingtalk", "wecom"]) { base in
            try? "\(base)/lark/open-apis/bot/v2/hook/signed-hook".write(toFile: secrets + "/lark-url", atomically: true, encoding: .utf8)
            try? "\(base)/feishu/open-apis/bot/v2/hook/open-hook".write(toFile: secrets + "/feishu-url", atomically: true, encoding: .utf8)
            try? "\(base)/dingtalk/robot/send?access_token=signed-token".write(toFile: secrets + "/dingtalk-url", atomically: true, encoding: .utf8)
            try? "\(base)/wecom/cgi-bin/webhook/send?key=wecom-key".write(toFile: secrets + "/wecom-url", atomically: true, encoding: .utf8)
            return """

                [[target]]
                id = "line"
                kind = "line"
                token_file = "\(secrets)/line-token"
                to = "\(lineTo)"
                api = "\(base)/line"
                rate = 50

                [[target]]
                id = "lark"
                kind = "lark"
                url_file = "\(secrets)/lark-url"
                secret_file = "\(secrets)/lark-secret"
                rate = 50

                [[target]]
                id = "feishu"
                kind = "feishu"
                url_file = "\(secrets)/feishu-url"
                rate = 50

                [[target]]
                id = "dingtalk"
                kind = "dingtalk"
                url_file = "\(secrets)/dingtalk-url"
                secret_file = "\(secrets)/dingtalk-secret"
                rate = 50

                [[target]]
                id = "wecom"
                kind = "wecom"
                url_file = "\(secrets)/wecom-url"
                rate = 50

                """
        }
    }

    @Test func aNineWeekZhHantReportIsSplitWithinEachLimitAndDelivered() async throws {
        let test = try await Self.chats()
        let deliveries = try await test.send(Self.nineWeeks)
        #expect(deliveries.allSatisfy { $0.state == .sent }, "\(deliveries.filter { $0.state != .sent }.map { "\($0.target): \($0.lastError ?? "")" })")
        let byTarget = Dictionary(grouping: deliveries, by: \.target)
        for target in ["line", "lark", "feishu", "dingtalk", "wecom"] {
            #expect((byTarget[target]?.count ?? 0) > 1, "\(target) split the report")
        }
        let requests = try await test.peer.requests()

        // LINE: plain text within 5,000 UTF-16 units, a distinct retry key a part, headings kept as lines.
        let line = requests.filter { $0.path == "/line/v2/bot/message/push" }
        let lineTexts = line.compactMap { (($0.json["messages"] as? [[String: Any]])?.first?["text"] as? String) }
        #expect(lineTexts.count == byTarget["line"]?.count)
        #expect(lineTexts.allSatisfy { $0.utf16.count <= 5_000 })
        // No Markdown of narrate's own reaches LINE, and what people typed arrives as they typed it.
        let allLine = lineTexts.joined(separator: "\n")
        #expect(!allLine.contains("\n#") && !allLine.contains("**第") && !allLine.contains("\\"), "no heading marks, bold or escapes")
        #expect(allLine.contains("• Split the deploy pipeline into **build** and release") && allLine.contains("Ben *Bold* Wu"))
        #expect(lineTexts[0].hasPrefix("【第 1 週】"), "\(lineTexts[0].prefix(80))")
        #expect(lineTexts.last?.hasSuffix("(\(lineTexts.count)/\(lineTexts.count))") == true, "parts numbered and in order")
        #expect(Set(line.compactMap { $0.headers["x-line-retry-key"] }).count == line.count)
        #expect(line.allSatisfy { $0.headers["authorization"] == "Bearer line-channel-token" && $0.json["to"] as? String == Self.lineTo })

        // Lark, signed (the receiver checks the signature: a wrong one is code 19021), and Feishu.
        let lark = requests.filter { $0.path.hasPrefix("/lark/") }
        #expect(lark.allSatisfy { $0.json["sign"] is String && $0.json["timestamp"] is String && $0.body.utf8.count <= 20 * 1024 })
        let cards = lark.compactMap { (($0.json["card"] as? [String: Any])?["elements"] as? [[String: Any]])?.first?["content"] as? String }
        #expect(cards.count == lark.count && cards[0].hasPrefix("**第 1 週**"), "\(cards.first?.prefix(60) ?? "")")
        #expect(requests.filter { $0.path.hasPrefix("/feishu/") }.allSatisfy { $0.json["sign"] == nil })

        // DingTalk: signed in the query, a title, the text within 4,000 characters, msgUuid per part.
        let dingtalk = requests.filter { $0.path == "/dingtalk/robot/send" }
        #expect(dingtalk.allSatisfy { $0.query.contains("timestamp=") && $0.query.contains("&sign=") })
        let markdown = dingtalk.compactMap { $0.json["markdown"] as? [String: Any] }
        #expect(markdown.allSatisfy { ($0["text"] as? String)?.unicodeScalars.count ?? .max <= 4_000 })
        #expect(markdown.first?["title"] as? String == "第 1 週 (1/\(dingtalk.count))", "\(markdown.first?["title"] ?? "")")
        #expect(Set(dingtalk.compactMap { $0.json["msgUuid"] as? String }).count == dingtalk.count)

        // WeCom: 4,096 bytes of UTF-8, which a Chinese report reaches in a third of the characters.
        let wecom = requests.filter { $0.path == "/wecom/cgi-bin/webhook/send" }.compactMap { ($0.json["markdown"] as? [String: Any])?["content"] as? String }
        #expect(wecom.allSatisfy { $0.utf8.count <= 4_096 })
        #expect(wecom.count > lineTexts.count, "bytes, not characters: \(wecom.count) WeCom parts, \(lineTexts.count) LINE parts")

        // Every part's words arrived: the texts put together hold each week's heading.
        for week in 1...9 { #expect(cards.joined().contains("第 \(week) 週") && wecom.joined().contains("第 \(week) 週")) }
        // No secret in the log or in what the outbox keeps.
        let kept = deliveries.map { "\($0.lastError ?? "") \($0.receipt ?? "")" }.joined() + test.log.all.joined()
        for secret in ["line-channel-token", "lark-signing-secret", "SECdingtalk-signing-secret", "wecom-key", "signed-token", "signed-hook"] {
            #expect(!kept.contains(secret), "\(secret)")
        }
    }

    /// What someone typed pings nobody and styles nothing in any of the four: `@all` (LINE and
    /// WeCom), Lark's `<at id=all>`, WeCom's `<@userid>` and `<font>`.
    @Test(arguments: [Dialect.line, .lark, .dingtalk, .wecom])
    func mentionsAndTagsInWhatPeopleWroteAreNeutralised(_ dialect: Dialect) {
        let typed = MarkdownText.escape(#"ping @all and @All <at id=all></at> <@zhangsan> <font color="warning">x</font> **bold**"#)
        let text = MessageFormatter(dialect: dialect).parts("- " + typed).joined()
        #expect(!text.lowercased().contains("@all"), "\(text)")
        #expect(!text.contains("<@"))
        if dialect != .line {
            #expect(!text.contains("<at") && !text.contains("<font") && !text.contains("**bold**"), "\(text)")
        }
        // The reader still sees the same characters.
        #expect(text.replacingOccurrences(of: "\u{2060}", with: "").contains("ping @all and @All <at id=all></at>"), "\(text)")
    }

    /// A business error in an HTTP 200 body is classified like an HTTP one, in each platform's words.
    @Test func errorsInA200BodyAreClassified() {
        func outcome(_ kind: Target.Kind, _ body: String, status: Int = 200, headers: [(String, String)] = []) -> AttemptOutcome {
            let part = Delivery(report: 1, target: "t", kind: kind.rawValue, part: 1, parts: 1, body: "x", nextAttemptAt: Date(), createdAt: Date())
            return kind.descriptor.classify(HTTPResponse(status: status, headers: headers, body: Data(body.utf8)), for: part, now: Date())
        }
        #expect(outcome(.lark, #"{"code":0,"msg":"success"}"#) == .sent(receipt: nil))
        #expect(outcome(.lark, #"{"code":19021,"msg":"sign match fail or timestamp is not within one hour from current time"}"#)
            == .park(error: "lark code 19021: sign match fail or timestamp is not within one hour from current time"))
        #expect(outcome(.feishu, #"{"code":11232,"msg":"frequency limited"}"#) == .retry(after: 60, error: "feishu code 11232: frequency limited"))
        #expect(outcome(.dingtalk, #"{"errcode":130101,"errmsg":"send too fast, exceed 20 times per minute"}"#)
            == .retry(after: 600, error: "dingtalk errcode 130101: send too fast, exceed 20 times per minute"))
        #expect(outcome(.dingtalk, #"{"errcode":310000,"errmsg":"keywords not in content"}"#) == .park(error: "dingtalk errcode 310000: keywords not in content"))
        #expect(outcome(.wecom, #"{"errcode":45009,"errmsg":"api freq out of limit"}"#) == .retry(after: 60, error: "wecom errcode 45009: api freq out of limit"))
        #expect(outcome(.wecom, #"{"errcode":93000,"errmsg":"invalid webhook url"}"#) == .park(error: "wecom errcode 93000: invalid webhook url"))
        #expect(outcome(.wecom, #"{"errcode":0,"errmsg":"ok"}"#) == .sent(receipt: nil))
        // LINE: the month's allowance spent parks with that reason; a rate limit is retried.
        #expect(outcome(.line, #"{"message":"You have reached your monthly limit."}"#, status: 429)
            == .park(error: "HTTP 429: You have reached your monthly limit. (the LINE Official Account's monthly messages are used up)"))
        if case .retry = outcome(.line, #"{"message":"Too Many Requests"}"#, status: 429) {} else { Issue.record("a rate limit is retried") }
        // A retry key already accepted: the earlier attempt went through.
        #expect(outcome(.line, #"{"message":"The retry key is already accepted"}"#, status: 409, headers: [("x-line-accepted-request-id", "req-1")])
            == .sent(receipt: "req-1"))
        #expect(outcome(.line, #"{"message":"The request body has 1 error(s)","details":[{"message":"Length must be between 0 and 5000","property":"messages[0].text"}]}"#, status: 400)
            == .park(error: "HTTP 400: The request body has 1 error(s); messages[0].text: Length must be between 0 and 5000"))
    }

    /// A wrong signing secret is refused by the platform in its own words, and the part is parked.
    @Test func aWrongSecretIsParkedWithThePlatformsWords() async throws {
        let test = try await Self.chats()
        let wrong = temporaryDirectory("wrong")
        try "not-the-secret".write(toFile: wrong + "/s", atomically: true, encoding: .utf8)
        var config = test.context.config
        for index in config.targets.indices where ["lark", "dingtalk"].contains(config.targets[index].id) {
            if case .signedWebhook(let url, _) = config.targets[index].endpoint {
                config.targets[index].endpoint = .signedWebhook(url: url, secret: .file(wrong + "/s"))
            }
        }
        let context = test.context.replacing(config: config, renderer: test.context.renderer)
        let record = ReportRecord(team: "platform", schedule: nil, periodStart: Date(), periodEnd: Date(), markdown: "x", createdAt: Date())
        let parts = try ["lark", "dingtalk"].map { id in
            let target = try config.requireTarget(id)
            return OutboxParts(target: id, kind: target.kind, bodies: ["週報"])
        }
        let (stored, _) = try await context.store.enqueue(record, parts: parts, now: Date())
        let deliveries = try await context.courier.deliver(reports: [stored.id], until: Date().addingTimeInterval(30))
        #expect(deliveries.first { $0.target == "lark" }?.lastError == "lark code 19021: sign match fail or timestamp is not within one hour from current time")
        #expect(deliveries.first { $0.target == "dingtalk" }?.lastError?.hasPrefix("dingtalk errcode 310000: sign not match") == true)
        #expect(deliveries.allSatisfy { $0.state == .parked })
    }

    /// `narrate now` killed while LINE holds back its answer to an accepted push: the next run
    /// sends that part again with the same retry key, LINE answers 409, and the part is recorded
    /// sent. LINE delivered every part once.
    @Test func aRetryAfterKillMinus9IsDeliveredOnceAtLine() async throws {
        let receiver = try await Receiver()
        let secrets = temporaryDirectory("line-secret")
        try "line-channel-token".write(toFile: secrets + "/token", atomically: true, encoding: .utf8)
        var (text, environment) = receiver.config(targets: ["line"])
        text += "\n[[target]]\nid = \"line\"\nkind = \"line\"\ntoken_file = \"\(secrets)/token\"\nto = \"\(Self.lineTo)\"\napi = \"\(receiver.base)/line\"\nlimit = 600\nrate = 50\ntimeout = 30\n"
        var cli = CLI(config: text)
        cli.environment.merge(environment) { $1 }
        #expect(try await cli.run("demo").status == 0)
        try await receiver.plan("/line/", [["pass": true], ["accept_then_hang": 60]])
        let process = try await Spawned(CLI.executable, ["now", "--team", "platform"], environment: cli.environment, directory: cli.directory)
        var seen = 0
        for _ in 0..<100 where seen < 2 {
            try await Task.sleep(nanoseconds: 100_000_000)
            seen = try await receiver.requests("/line/").count
        }
        #expect(seen == 2)
        try await Task.sleep(nanoseconds: 300_000_000)
        #expect(try await receiver.delivered("line").count == 2, "LINE accepted part 2 before narrate was killed")
        kill(process.processIdentifier, SIGKILL)
        try await process.exited()

        let later = TimeText.iso(Date().addingTimeInterval(40), in: .gmt)
        let resumed = try await cli.run(
            ["now", "--team", "platform"], environment: ["NARRATE_TEST_RETRY_BASE": "0.05", "NARRATE_TEST_CLOCK_START": later],
            executable: CLI.testClockExecutable)
        #expect(resumed.status == 0, "\(resumed.stderr)")
        let store = try SQLiteStore(directory: cli.stateDir)
        let parts = try await store.deliveries().filter { $0.report == 1 }
        #expect(parts.count > 2 && parts.allSatisfy { $0.state == .sent }, "\(parts.map { "\($0.state) \($0.lastError ?? "")" })")
        let requests = try await receiver.requests("/line/")
        #expect(requests.count == parts.count + 1, "part 2 was sent twice, with one key")
        let keys = requests.compactMap { $0.headers["x-line-retry-key"] }
        #expect(Set(keys).count == parts.count)
        let accepted = try await receiver.delivered("line").compactMap { (($0["messages"] as? [[String: Any]])?.first?["text"] as? String) }
        #expect(accepted.count == parts.count && Set(accepted).count == parts.count, "each part once at LINE")
    }
}
