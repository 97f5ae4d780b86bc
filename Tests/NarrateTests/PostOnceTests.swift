import Foundation
import Testing
@testable import NarrateApp
@testable import NarrateModel
@testable import NarrateTOML
@testable import NarrateConfig
@testable import NarrateReport
@testable import NarrateTargets
@testable import NarratePlatform
@testable import NarrateStore

/// The same report is posted once: `now` twice, `retry` then `now`, two `now` at once, and a
/// scheduled `since-last` report after a manual one.
@Suite struct PostOnceTests {
    func cli(_ receiver: Receiver) -> CLI {
        let (text, environment) = receiver.config(targets: ["slack", "discord"])
        var cli = CLI(config: text)
        cli.environment.merge(environment) { $1 }
        return cli
    }

    @Test func nowTwiceInAPeriodPostsOnceUnlessForced() async throws {
        let receiver = try await Receiver()
        let cli = cli(receiver)
        #expect(try await cli.run("log", "progress", "Shipped the thing", "--as", "alice").status == 0)
        #expect(try await cli.now().status == 0)
        let second = try await cli.now()
        #expect(second.status == 0, "\(second.stderr)")
        #expect(second.stderr.contains("platform → slack: already sent in report 1 with the same content; not sent again (--force sends it)"), "\(second.stderr)")
        #expect(try await receiver.requests().count == 2, "one post per target")
        let forced = try await cli.now("--force")
        #expect(forced.status == 0 && forced.stderr.contains("platform → slack: sent 1 part"))
        #expect(try await receiver.requests().count == 4)
        // New content is a new report.
        #expect(try await cli.run("log", "progress", "Shipped another thing", "--as", "bob").status == 0)
        #expect(try await cli.now().stderr.contains("platform → discord: sent 1 part"))
        #expect(try await receiver.requests().count == 6)
    }

    /// `now` waits a bounded time, then says what it left to the daemon and when it is tried
    /// next (with a webhook down it waited minutes through every retry).
    @Test func nowLeavesWhatItCannotSendSoonToTheDaemonAndSaysSo() async throws {
        let receiver = try await Receiver()
        let cli = cli(receiver)
        try await receiver.plan("/slack/", [["status": 429, "retry_after": "600", "body": "rate_limited"]])
        let result = try await cli.now("--wait", "1")
        #expect(result.status == 1)
        #expect(result.stderr.contains(#/platform → slack: 0 of 1 parts sent, the rest left to the daemon \(or the next narrate now\), next try \d{4}-\d{2}-\d{2} \d{2}:\d{2}/#), "\(result.stderr)")
        #expect(result.stderr.contains("platform → discord: sent 1 part"))
    }

    @Test func retryThenNowSendsTheRequeuedPartOnly() async throws {
        let receiver = try await Receiver()
        let cli = cli(receiver)
        try await receiver.plan("/slack/", [["status": 400, "body": "invalid_payload", "content_type": "text/plain"]])
        let first = try await cli.now()
        #expect(first.status == 1 && first.stderr.contains("platform → slack: parked: HTTP 400: invalid_payload"))
        #expect(try await cli.run("retry", "--all-parked").stdout == "re-queued 1 part\n")
        let second = try await cli.now()
        #expect(second.status == 0, "\(second.stderr)")
        #expect(second.stderr.contains("platform → slack: sent 1 part of report 1, queued earlier with the same content"), "\(second.stderr)")
        let slack = try await receiver.requests("/slack/")
        #expect(slack.count == 2, "the parked attempt and its retry, no second report")
        #expect(try await receiver.requests("/discord/").count == 1)
        #expect(try SQLiteStore(directory: cli.stateDir).reports(team: nil, kinds: [ReportRecord.reportKind], limit: 10).count == 1)
    }

    @Test func twoNowsAtOnceEachReportWhatHappened() async throws {
        let receiver = try await Receiver()
        let cli = cli(receiver)
        // Slack is slow, so both processes meet while its part is in flight.
        try await receiver.plan("/slack/", [["status": 200, "delay": 1.5, "body": "ok", "content_type": "text/plain"]])
        #expect(try await cli.run("log", "progress", "Shipped the thing", "--as", "alice").status == 0)
        async let first = Task.detached { try await cli.now() }.value
        try await Task.sleep(nanoseconds: 300_000_000)
        async let second = Task.detached { try await cli.now() }.value
        let results = try await [first, second]
        for result in results {
            #expect(result.status == 0, "\(result.stderr)")
            #expect(!result.stderr.contains("left to the daemon"), "\(result.stderr)")
        }
        #expect(try await receiver.requests("/slack/").count == 1)
        #expect(try await receiver.requests("/discord/").count == 1)
    }

    @Test func aScheduledSinceLastReportStartsAfterAManualOne() async throws {
        let config = exampleConfig(replacing: #"period = "week" "#, with: #"period = "since-last" "#)
        let (context, _) = try exampleContext(config: config, transport: MemoryTransport())
        await #expect(try context.checkIns.log(.progress, text: "Before the manual report", by: context.config.persons[0]).id == 1)
        let results = try await context.deliveries.now()
        #expect(results.allSatisfy { $0.delivered })
        let manual = try await #require(try context.store.lastRun(schedule: "platform-weekly"))
        #expect(manual.manual && manual.state == .done)
        let schedule = try #require(context.config.schedule("platform-weekly"))
        let slot = manual.slot.addingTimeInterval(3_600)
        let plan = try await context.pipeline.plan(schedule: schedule, slot: slot)
        #expect(plan.period.start == manual.slot, "the scheduled report covers only what came after")
        let history = try await context.historyQuery.history()
        #expect(history.runs.contains { $0.manual && $0.state == "done" })
    }
}
