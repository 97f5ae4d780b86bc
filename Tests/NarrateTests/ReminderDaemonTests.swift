import Foundation
import Testing
@testable import NarrateModel
@testable import NarrateTOML
@testable import NarrateConfig
@testable import NarrateReport
@testable import NarrateTargets
@testable import NarratePlatform
@testable import NarrateStore

/// Reminders through the daemon with the injected clock (1,200× real time): the right instants
/// across Berlin's spring-forward night, an away person skipped, and a SIGKILL between the first
/// reminder and the report that makes nobody get a reminder twice.
@Suite struct ReminderDaemonTests {
    static let start = "2026-03-29T00:45:00+01:00"
    static let rate = 1200.0

    @Test func remindersComeOnTimeOnceEachAcrossADSTChangeAndARestart() async throws {
        let receiver = try await Receiver()
        var (text, environment) = receiver.config(targets: ["slack"])
        text = text.replacingOccurrences(of: "cron = \"0 17 * * FRI\"", with: "cron = \"0 9 * * *\"")
            .replacingOccurrences(of: "timezone = \"Asia/Taipei\"\nperiod = \"week\"", with: "timezone = \"Europe/Berlin\"\nperiod = \"week\"")
            .replacingOccurrences(of: "catch_up = \"2h\"", with: "catch_up = \"2h\"\nremind_before = \"7h\"\nremind_again = \"1h\"")
            .replacingOccurrences(of: "unix_user = \"alice\"", with: "unix_user = \"alice\"\nnotify = [\"bot:U0ALICE\"]")
            .replacingOccurrences(of: "unix_user = \"bob\"", with: "unix_user = \"bob\"\nnotify = [\"bot:U0BOB\"]")
        text += "\n[[target]]\nid = \"bot\"\nkind = \"slack-bot\"\napi = \"\(receiver.base)/slack-api\"\ntoken_env = \"BOT_TOKEN\"\n"
        #expect(text.contains("Europe/Berlin") && text.contains("remind_before"))
        var cli = CLI(config: text)
        cli.environment.merge(environment) { $1 }
        cli.environment["BOT_TOKEN"] = "xoxb-test-token"
        #expect(try await cli.run("check", "--offline").status == 0)
        #expect(try await cli.run("away", "bob", "--from", "2026-03-29", "--to", "2026-03-29").status == 0)
        #expect(try await cli.run("log", "progress", "done early", "--as", "chen", "--at", "2026-03-28T20:00+01:00").status == 0)

        // The slot is 09:00 CEST (07:00 UTC); 7 h before it is 01:00 CET, 8 hours earlier by the
        // wall clock because the clocks go forward at 02:00. 15 simulated minutes in.
        let began = Date()
        var daemon = try await DaemonTests.Daemon(cli, notify: nil, clock: Self.start, rate: Self.rate)
        try await waitFor(seconds: 60) { try await receiver.requests("/slack-api").count >= 1 }
        daemon.signal(SIGKILL)
        _ = try await daemon.finish()
        // Start again where the killed one was, by the scaled clock.
        let resumed = try time(Self.start, "UTC").addingTimeInterval(Date().timeIntervalSince(began) * Self.rate)
        daemon = try await DaemonTests.Daemon(cli, notify: nil, clock: TimeText.iso(resumed, in: .gmt), rate: Self.rate)
        try await waitFor(seconds: 120) { try await receiver.requests("/slack/").count >= 1 }
        daemon.signal(SIGTERM)
        let (status, log) = try await daemon.finish()
        #expect(status == 0, "\(log)")

        let posts = try await receiver.requests("/slack-api").map { $0.json["channel"] as? String ?? "" }
        #expect(posts == ["U0ALICE", "U0ALICE"], "alice twice (7 h and 1 h before), bob is away, chen checked in: \(posts)")
        let store = try SQLiteStore(readOnly: cli.stateDir + "/narrate.sqlite")
        let reminders = try store.notices(kind: .reminder)
        #expect(reminders.map(\.person).sorted() == ["alice", "alice", "dana", "dana"], "dana has no channel: recorded once per round, sent nowhere")
        let first = try time("2026-03-29T01:00:00+01:00", "UTC"), second = try time("2026-03-29T08:00:00+02:00", "UTC")
        for notice in reminders {
            let expected = notice.key.contains(":1:") ? first : second
            // Within 30 simulated minutes (1.5 s of real time on a loaded machine); a DST mistake is an hour.
            #expect(notice.createdAt >= expected && notice.createdAt.timeIntervalSince(expected) < 30 * 60,
                    "\(notice.key) at \(TimeText.iso(notice.createdAt, in: Config.zone("Europe/Berlin")))")
        }
        #expect(try await cli.run("reports").stdout.split(separator: "\n").count == 1, "one report for the slot")
    }

    func waitFor(seconds: TimeInterval, _ condition: () async throws -> Bool) async throws {
        let deadline = Date().addingTimeInterval(seconds)
        while Date() < deadline {
            if try await condition() { return }
            try await Task.sleep(nanoseconds: 50_000_000)
        }
        Issue.record("timed out after \(seconds) s")
    }
}
