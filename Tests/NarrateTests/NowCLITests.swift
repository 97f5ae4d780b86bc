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

/// `narrate now`, `format`, `deliveries` and `retry` as a user runs them.
@Suite struct NowCLITests {
    func cli(_ receiver: Receiver, targets: [String]? = nil) -> CLI {
        let (text, environment) = receiver.config(targets: targets)
        var cli = CLI(config: text)
        cli.environment.merge(environment) { $1 }
        return cli
    }

    @Test func nowDeliversToEveryTargetAndSaysSo() async throws {
        let receiver = try await Receiver()
        let cli = cli(receiver)
        #expect(try await cli.run("demo").status == 0)
        let result = try await cli.now()
        #expect(result.status == 0, "\(result.stderr)")
        let lines = result.stderr.split(separator: "\n").filter { $0.hasPrefix("platform → ") }
        #expect(lines.count == 12)
        #expect(lines.allSatisfy { $0.contains(": sent ") })
        #expect(result.stdout.hasPrefix("# Platform · week of"), "the terminal target prints the report")
        let requests = try await receiver.requests()
        #expect(Set(requests.map { $0.path.split(separator: "/")[0] }).count == 10)
        let deliveries = try await cli.run("deliveries", "--json")
        let rows = try JSONSerialization.jsonObject(with: Data(deliveries.stdout.utf8)) as! [[String: Any]]
        #expect(rows.count >= 12 && rows.allSatisfy { $0["state"] as? String == "sent" })
    }

    /// libcurl and the libraries it needs are loaded only by commands that send: `check`,
    /// `preview` and `--version` start without them (the dynamic loader's own log says which
    /// files it loads), `now` loads it and delivers.
    @Test func onlyCommandsThatSendLoadLibcurl() async throws {
        let receiver = try await Receiver()
        let cli = cli(receiver, targets: ["slack"])
        #expect(try await cli.run("demo").status == 0)
        let trace = ["LD_DEBUG": "files"]
        for arguments in [["--version"], ["check"], ["preview"]] {
            let result = try await cli.run(arguments, environment: trace)
            #expect(result.status == 0, "\(arguments): \(result.stderr)")
            #expect(result.stderr.contains("file=libsqlite3"), "\(arguments): the loader's log is there")
            #expect(!result.stderr.contains("file=libcurl"), "\(arguments) loaded libcurl")
        }
        let now = try await cli.run(["now"], environment: trace)
        #expect(now.status == 0, "\(now.stderr)")
        #expect(now.stderr.contains("file=libcurl.so.4 [0];  dynamically loaded"))
        #expect(try await receiver.requests().count >= 1)
    }

    @Test func theManagerDigestGoesOnlyToManagerTargets() async throws {
        let receiver = try await Receiver()
        var (text, environment) = receiver.config(targets: ["slack"])
        text = text.replacingOccurrences(of: "manager = \"erin\"\n", with: "manager = \"erin\"\nmanager_targets = [\"mattermost\"]\n")
        var cli = CLI(config: text)
        cli.environment.merge(environment) { $1 }
        #expect(try await cli.run("demo").status == 0)
        let result = try await cli.now()
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stderr.contains("platform → mattermost: sent 1 part"))
        let digest = try await receiver.requests("/mattermost/").first?.json["text"] as? String ?? ""
        let team = try await receiver.requests("/slack/").map { $0.json["text"] as? String ?? "" }.joined()
        #expect(digest.contains("manager digest") && digest.contains("Mood and load by person"))
        #expect(!team.contains("manager digest") && !team.contains("Mood and load by person"))
    }

    @Test func dryRunPrintsTheBodiesAndSendsNothing() async throws {
        let receiver = try await Receiver()
        let cli = cli(receiver, targets: ["slack", "telegram", "archive"])
        let result = try await cli.run("now", "--dry-run")
        #expect(result.status == 0)
        // Secrets are redacted by value: the whole Slack URL, and the bot token inside Telegram's URL.
        #expect(result.stdout.contains("=== platform → slack part 1/1: POST [secret]\n"))
        #expect(result.stdout.contains("=== platform → telegram part 1/1: POST \(receiver.base)/telegram/bot[secret]/sendMessage\n"))
        #expect(result.stdout.contains(#""parse_mode":"HTML""#))
        #expect(!result.stdout.contains("secretpath") && !result.stdout.contains("123:secret"))
        #expect(try await receiver.requests().isEmpty)
        #expect(try await cli.run("deliveries").stdout == "the outbox is empty\n")
    }

    @Test func aRejectedTargetIsParkedAndCanBeRetried() async throws {
        let receiver = try await Receiver()
        let cli = cli(receiver, targets: ["discord", "slack"])
        try await receiver.plan("/discord/", [["status": 404, "body": ["message": "Unknown Webhook", "code": 10015]]])
        let result = try await cli.now()
        #expect(result.status == 1)
        #expect(result.stderr.contains("platform → discord: parked: HTTP 404: Unknown Webhook"))
        #expect(result.stderr.contains("platform → slack: sent 1 part"))
        let failed = try await cli.run("deliveries", "--failed")
        #expect(failed.stdout.contains(#/discord  part 1/1  parked  queued \d{4}-\d{2}-\d{2} \d{2}:\d{2}  attempts 1  HTTP 404: Unknown Webhook/#), "\(failed.stdout)")
        // The report names the target it did not reach.
        let reports = try await cli.run("reports").stdout
        #expect(reports.contains("(not sent: discord parked)"), "\(reports)")
        #expect(!failed.stdout.contains("slack"))
        let id = failed.stdout.split(separator: " ").first.map(String.init)!
        // An id that names no parked part is refused, and the known one stays parked meanwhile.
        let unknown = try await cli.run("retry", id, "99999")
        #expect(unknown.status == 1 && unknown.stderr.contains("no parked part 99999"), "\(unknown.stderr)")
        #expect(try await cli.run("deliveries", "--failed").stdout.contains("parked"))
        #expect(try await cli.run("retry", id).stdout == "re-queued 1 part\n")
        #expect(try await cli.run("retry").status == 2)
        // The next run sends the re-queued part; the report is the same, so it is not queued again.
        let again = try await cli.now()
        #expect(again.status == 0)
        #expect(again.stderr.contains("platform → discord: sent 1 part of report 1, queued earlier with the same content"), "\(again.stderr)")
        #expect(again.stderr.contains("platform → slack: already sent in report 1"))
        #expect(try await cli.run("deliveries", "--failed").stdout == "no parked parts\n")
        #expect(try await receiver.requests("/discord/").count == 2)
        #expect(try await receiver.requests("/slack/").count == 1)
    }

    @Test func formatConvertsStdinForEachDialect() async throws {
        let cli = CLI()
        let markdown = "# Weekly\n\n- **done** the *thing*\n- see [docs](https://example.org)\n"
        let slack = try await cli.run(["format", "--dialect", "slack"], stdin: markdown)
        #expect(slack.stdout == "*Weekly*\n\n• *done* the _thing_\n• see <https://example.org|docs>\n")
        let json = try await cli.run(["format", "--dialect", "discord", "--limit", "30", "--json"], stdin: markdown)
        let parts = try JSONDecoder().decode([String].self, from: Data(json.stdout.utf8))
        #expect(parts.count > 1 && parts.allSatisfy { $0.unicodeScalars.count <= 30 })
        #expect(try await cli.run(["format", "--dialect", "irc"], stdin: markdown).status == 2)
        #expect(try await cli.run(["format", "--dialect", "slack", "--limit", "5"], stdin: markdown).status == 2)
    }

    @Test func killedMidDeliveryResendsOnlyTheUnfinishedPart() async throws {
        let receiver = try await Receiver()
        var (text, environment) = receiver.config(targets: ["small"])
        text += "\n[[target]]\nid = \"small\"\nkind = \"discord\"\nurl_env = \"DISCORD_URL\"\nlimit = 400\nrate = 50\ntimeout = 30\n"
        var cli = CLI(config: text)
        cli.environment.merge(environment) { $1 }
        #expect(try await cli.run("demo").status == 0)
        // Part 2 hangs; the process is killed while it waits.
        try await receiver.plan("/discord/", [["status": 200, "body": ["id": "1"]], ["hang": 60]])
        let process = try await Spawned(CLI.executable, ["now", "--team", "platform"], environment: cli.environment, directory: cli.directory)
        var seen = 0
        for _ in 0..<100 where seen < 2 {
            try await Task.sleep(nanoseconds: 100_000_000)
            seen = try await receiver.requests("/discord/").count
        }
        #expect(seen == 2)
        kill(process.processIdentifier, SIGKILL)
        try await process.exited()
        #expect(process.terminationReason == .uncaughtSignal)
        let store = try SQLiteStore(directory: cli.stateDir)
        let states = try await store.deliveries().map(\.state)
        #expect(states.first == .sent && states[1] == .sending)

        // After the part's timeout and grace (35 s) have passed, the next run sends part 2 onwards,
        // once each: that run's clock starts 40 s on, instead of the test waiting for it.
        let later = TimeText.iso(Date().addingTimeInterval(40), in: .gmt)
        let resumed = try await cli.run(
            ["now", "--team", "platform"], environment: ["NARRATE_TEST_RETRY_BASE": "0.05", "NARRATE_TEST_CLOCK_START": later],
            executable: CLI.testClockExecutable)
        #expect(resumed.status == 0, "\(resumed.stderr)")
        let contents = try await receiver.requests("/discord/").map { $0.json["content"] as? String ?? "" }
        let first = try await store.deliveries().filter { $0.report == 1 }
        #expect(first.allSatisfy { $0.state == .sent })
        let partOne = contents.filter { $0.hasSuffix("(1/\(first.count))") }
        #expect(partOne.count == 1, "part 1 was sent before the kill, and the same report is not queued again")
        #expect(contents.filter { $0.hasSuffix("(2/\(first.count))") }.count == 2, "part 2 twice: the hung attempt and its resend")
        #expect(contents.count == first.count + 1)
    }
}
