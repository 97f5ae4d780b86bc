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

/// Reminders before a slot, blocker follow-ups and escalations: who, when (quiet hours, away
/// days), through which channel, exactly once; real SQLite, the loopback receiver speaking
/// Slack's chat.postMessage and Matrix's createRoom.
@Suite struct NoticesTests {
    /// The example team with reminders 3 h and 1 h before its Friday 17:00 (Taipei) report;
    /// alice on a Slack bot, erin (the manager) on a Matrix bot, bob with no channel.
    static func config(_ receiver: Receiver, schedule: String = "", alice: String = "") -> String {
        var text = exampleConfig(replacing: "catch_up = \"2h\"", with: "catch_up = \"2h\"\nremind_before = \"3h\"\nremind_again = \"1h\"\n" + schedule)
        text = text.replacingOccurrences(
            of: "unix_user = \"alice\"", with: "unix_user = \"alice\"\nnotify = [\"bot:U0ALICE\"]\n" + alice)
        text = text.replacingOccurrences(of: "name = \"Erin Wu\"", with: "name = \"Erin Wu\"\nnotify = [\"mx:@erin:example.org\"]")
        text = text.replacingOccurrences(of: "escalate_after = \"5d\"", with: "escalate_after = \"5d\"\nfollow_up_after = \"2d\"")
        text += """

            [http]
            public_url = "https://narrate.example.org"

            [[target]]
            id = "bot"
            kind = "slack-bot"
            api = "\(receiver.base)/slack-api"
            token_env = "SLACK_BOT_TOKEN"

            [[target]]
            id = "mx"
            kind = "matrix"
            homeserver = "\(receiver.base)/matrix"
            token_env = "MATRIX_TOKEN"
            """
        return text
    }

    static func context(_ receiver: Receiver, _ text: String, at now: String) throws -> AppContext {
        let (context, _) = try exampleContext(
            config: text, environment: ["SLACK_BOT_TOKEN": "xoxb-test-token", "MATRIX_TOKEN": "matrix-token"],
            clock: FixedClock(try time(now, "Asia/Taipei")))
        return context
    }

    /// Each kind that reaches one person knows its addresses; every other kind refuses one.
    @Test func everyKindJudgesAPersonsAddress() {
        let examples: [Target.Kind: (good: String, bad: String)] = [
            .email: ("alice@example.org", "Alice <alice@example.org>"), .telegram: ("-100123", "alice"),
            .ntfy: ("alice_reminders", "alice/reminders"), .slackBot: ("U0123ABC", "alice"),
            .matrix: ("@alice:example.org", "alice:example.org"),
            .line: ("U" + String(repeating: "0123456789abcdef", count: 2), "U0123"),
        ]
        for kind in Target.Kind.allCases {
            if let (good, bad) = examples[kind] {
                #expect(Channel.problem(address: good, kind: kind) == nil, "\(kind) \(good)")
                #expect(Channel.problem(address: bad, kind: kind)?.contains("\"\(bad)\" is not") == true, "\(kind) \(bad)")
            } else {
                #expect(Channel.problem(address: "U0123ABC", kind: kind)?.contains("cannot reach one person") == true, "\(kind)")
            }
        }
    }

    @Test func configNamesEveryChannelProblemAtItsKey() {
        func errors(_ notify: String, extra: String = "") -> [String] {
            let text = exampleConfig(replacing: "unix_user = \"alice\"", with: "unix_user = \"alice\"\nnotify = \(notify)\n" + extra)
                + "\n[[target]]\nid = \"hook\"\nkind = \"slack\"\nurl_env = \"X\"\n"
            return diagnostics(text).filter { $0.severity == .error }.map { "\($0.keyPath): \($0.message)" }
        }
        #expect(errors(#"["nowhere:U1"]"#).first?.hasPrefix("person[0].notify[0]: \"nowhere\" is not a target") == true)
        #expect(errors(#"["hook:U1"]"#).first?.contains("cannot reach one person") == true)
        #expect(errors(#"["archive"]"#).first?.contains("is not TARGET:ADDRESS") == true)
        #expect(errors("[]", extra: "quiet_hours = \"late\"").first?.hasPrefix("person[0].quiet_hours:") == true)
        let again = diagnostics(exampleConfig(replacing: "catch_up = \"2h\"", with: "catch_up = \"2h\"\nremind_before = \"1h\"\nremind_again = \"2h\""))
        #expect(again.contains { $0.keyPath == "schedule[0].remind_again" && $0.message.contains("shorter than remind_before") })
    }

    @Test func remindersGoToWhoHasNotCheckedInAndIsNotAwayAtTheirTimes() async throws {
        let receiver = try await Receiver()
        let text = Self.config(receiver)
        // Friday 2026-11-27, the slot at 17:00 Taipei: reminders at 14:00 and 16:00.
        let early = try Self.context(receiver, text, at: "2026-11-27 13:30")
        await #expect(try early.notices.reminders(for: early.config.schedules[0], now: early.clock.now()).isEmpty, "before the window")
        let context = try Self.context(receiver, text, at: "2026-11-27 14:00")
        _ = try await context.checkIns.log(.progress, text: "wrote already", by: context.config.person("dana")!, at: try time("2026-11-26 10:00", "Asia/Taipei"))
        _ = try await context.checkIns.away(context.config.person("chen")!, from: LocalDate(year: 2026, month: 11, day: 27), to: LocalDate(year: 2026, month: 11, day: 27))
        let planned = try await context.notices.reminders(for: context.config.schedules[0], now: context.clock.now())
        #expect(Set(planned.map(\.record.person)) == ["alice", "bob"], "dana checked in, chen is away")
        let alice = planned.filter { $0.record.person == "alice" }.sorted { $0.due < $1.due }
        #expect(alice.map { TimeText.iso($0.due, in: Config.zone("Asia/Taipei")) } == ["2026-11-27T14:00:00+08:00", "2026-11-27T16:00:00+08:00"])
        #expect(alice[0].markdown.contains(CheckInLink.placeholder))

        // Due now: the first round. Claimed once, whatever is asked again.
        let due = planned.filter { $0.due <= context.clock.now() }
        await #expect(try context.notices.send(due, now: context.clock.now()).count == 2)
        await #expect(try context.notices.send(due, now: context.clock.now()).isEmpty)
        await #expect(try context.store.notices(kind: .reminder).map(\.detail).sorted() == ["bot:U0ALICE", "no channel"])

        // The courier sends alice's DM with a fresh link; the outbox keeps only the placeholder.
        _ = try await context.courier.deliver()
        let posts = try await receiver.requests("/slack-api")
        #expect(posts.count == 1)
        #expect(posts.first?.json["channel"] as? String == "U0ALICE")
        let message = posts.first?.json["text"] as? String ?? ""
        let link = try #require(message.split(separator: " ").first { $0.hasPrefix("https://narrate.example.org/checkin/") }.map(String.init))
        let token = String(link.split(separator: "/").last!).trimmingCharacters(in: .punctuationCharacters.subtracting(CharacterSet(charactersIn: "_-")))
        await #expect(try context.tokens.authenticate(token, scope: .link).id == "alice")
        await #expect(try context.store.deliveries().allSatisfy { $0.body.contains(CheckInLink.placeholder) && !$0.body.contains(token) })
        await #expect(try context.store.reports(team: nil, kinds: [ReportRecord.reportKind, ReportRecord.digestKind], limit: 10).isEmpty, "notices are not reports")
    }

    @Test func quietHoursMoveAReminderButNeverPastTheSlot() async throws {
        let receiver = try await Receiver()
        let moved = try Self.context(receiver, Self.config(receiver, alice: "quiet_hours = \"13:00-15:30\""), at: "2026-11-27 14:00")
        let planned = try await moved.notices.reminders(for: moved.config.schedules[0], now: moved.clock.now()).filter { $0.record.person == "alice" }
        #expect(planned.map { TimeText.iso($0.due, in: Config.zone("Asia/Taipei")) } == ["2026-11-27T15:30:00+08:00", "2026-11-27T16:00:00+08:00"])
        let late = try Self.context(receiver, Self.config(receiver, alice: "quiet_hours = \"12:00-18:00\""), at: "2026-11-27 14:00")
        await #expect(try late.notices.reminders(for: late.config.schedules[0], now: late.clock.now()).filter { $0.record.person == "alice" }.isEmpty)
    }

    @Test func aRemindBeforeIsAnAbsoluteDurationAcrossADSTChange() async throws {
        let receiver = try await Receiver()
        // Berlin springs forward at 02:00 on 2026-03-29: 8 h before 09:00 CEST is 00:00 CET.
        let text = Self.config(receiver).replacingOccurrences(of: "remind_before = \"3h\"\nremind_again = \"1h\"", with: "remind_before = \"8h\"")
            .replacingOccurrences(of: #"cron = "0 17 * * FRI""#, with: #"cron = "0 9 * * *""#)
            .replacingOccurrences(of: "cron = \"0 9 * * *\"             # minute hour day-of-month month day-of-week\ntimezone = \"Asia/Taipei\"", with: "cron = \"0 9 * * *\"\ntimezone = \"Europe/Berlin\"")
        let context = try Self.context(receiver, text, at: "2026-03-29 07:30")  // Taipei = 00:30 CET
        let planned = try await context.notices.reminders(for: context.config.schedules[0], now: context.clock.now())
        let alice = try #require(planned.first { $0.record.person == "alice" })
        #expect(TimeText.iso(alice.due, in: Config.zone("Europe/Berlin")) == "2026-03-29T00:00:00+01:00")
        #expect(alice.record.key.hasPrefix("remind:platform-weekly:2026-03-29T07:00:00+00:00:1:alice"))
    }

    @Test func aBlockerGetsOneFollowUpAndOneEscalationThroughAMatrixDirectRoom() async throws {
        let receiver = try await Receiver()
        let context = try Self.context(receiver, Self.config(receiver), at: "2026-11-27 14:00")
        let alice = context.config.person("alice")!
        let old = try await context.checkIns.log(.blocker, text: "Waiting on legal", by: alice, stage: .middle, at: try time("2026-11-21 10:00", "Asia/Taipei"))
        let fresh = try await context.checkIns.log(.blocker, text: "New one", by: alice, at: try time("2026-11-27 09:00", "Asia/Taipei"))
        let planned = try await context.notices.followUps(now: context.clock.now())
        let due = planned.filter { $0.due <= context.clock.now() }
        #expect(due.map(\.record.key).sorted() == ["escalate:\(old.id)", "follow-up:\(old.id)"])
        #expect(planned.contains { $0.record.key == "follow-up:\(fresh.id)" && $0.due > context.clock.now() })
        await #expect(try context.notices.send(due, now: context.clock.now()).count == 2)
        await #expect(try context.notices.send(try context.notices.followUps(now: context.clock.now()).filter { $0.due <= context.clock.now() }, now: context.clock.now()).isEmpty)
        // Recorded notices are not planned (rendered) again at the next tick; the fresh blocker's still is.
        await #expect(try context.notices.followUps(now: context.clock.now()).map(\.record.key) == ["follow-up:\(fresh.id)", "escalate:\(fresh.id)"])
        _ = try await context.courier.deliver()
        let followUp = try #require(try await receiver.requests("/slack-api").first?.json["text"] as? String)
        #expect(followUp.contains("B-\(old.id)") && followUp.contains("Waiting on legal"))
        let matrix = try await receiver.requests("/matrix")
        #expect(matrix.map { $0.path.hasSuffix("/createRoom") } == [true, false], "a direct room first, then the message in it")
        #expect(matrix.last?.path.contains("dm") == true)
        #expect((matrix.last?.json["body"] as? String)?.contains("Alice Chen") == true)

        // The next escalation reuses the room.
        let third = try await context.checkIns.log(.blocker, text: "Third", by: alice, at: try time("2026-11-20 10:00", "Asia/Taipei"))
        _ = try await context.notices.send(try context.notices.followUps(now: context.clock.now()).filter { $0.record.key == "escalate:\(third.id)" }, now: context.clock.now())
        _ = try await context.courier.deliver()
        let after = try await receiver.requests("/matrix")
        #expect(after.filter { $0.path.hasSuffix("/createRoom") }.count == 1)
        #expect(after.last?.path == matrix.last?.path.replacingOccurrences(of: matrix.last!.path.split(separator: "/").last!, with: after.last!.path.split(separator: "/").last!))
    }
}

/// Telegram and ntfy as personal channels: the person's chat id and topic replace the target's.
@Suite struct PersonalChannelTests {
    @Test func telegramAndNtfyChannelsReachThePersonsOwnChatAndTopic() async throws {
        let receiver = try await Receiver()
        var (text, environment) = receiver.config(targets: ["terminal"])
        text = text.replacingOccurrences(of: "catch_up = \"2h\"", with: "catch_up = \"2h\"\nremind_before = \"3h\"")
            .replacingOccurrences(of: "unix_user = \"alice\"", with: "unix_user = \"alice\"\nnotify = [\"telegram:777001\", \"ntfy:alice-narrate\"]")
        let (context, _) = try exampleContext(config: text, environment: environment, clock: FixedClock(try time("2026-11-27 14:30", "Asia/Taipei")))
        let planned = try await context.notices.reminders(for: context.config.schedules[0], now: context.clock.now()).filter { $0.record.person == "alice" }
        await #expect(try context.notices.send(planned, now: context.clock.now()).count == 1)
        _ = try await context.courier.deliver()
        let telegram = try await receiver.requests("/telegram")
        #expect(telegram.count == 1)
        #expect("\(telegram.first?.json["chat_id"] ?? "")" == "777001", "the person's chat, not the team's -100200")
        #expect((telegram.first?.json["text"] as? String)?.contains("Alice Chen") == true)
        let ntfy = try await receiver.requests("/ntfy")
        #expect(ntfy.map(\.path) == ["/ntfy/alice-narrate"], "the person's topic on the team's ntfy server")
    }
}

/// `narrate remind` and `narrate schedule` as a lead uses them.
@Suite struct RemindCommandTests {
    @Test func remindSendsOncePerPersonAndSlotAndScheduleShowsTheReminderTimes() async throws {
        let receiver = try await Receiver()
        var cli = CLI(config: NoticesTests.config(receiver))
        cli.environment["SLACK_BOT_TOKEN"] = "xoxb-test-token"
        cli.environment["MATRIX_TOKEN"] = "matrix-token"
        // Every command on the example's Friday, 14:00 Taipei: the slot is 17:00 that day.
        func run(_ arguments: String...) async throws -> CLI.Result {
            try await cli.run(arguments, environment: ["NARRATE_TEST_CLOCK_START": "2026-11-27T14:00:00+08:00", "NARRATE_TEST_CLOCK_RATE": "1"],
                        executable: CLI.testClockExecutable)
        }
        // An hour before: every command's clock starts at 14:00, so an entry made "now" by one
        // command can be later than "now" in the next on a loaded machine.
        await #expect(try run("log", "progress", "already wrote", "--as", "dana", "--at", "2026-11-27T13:00").status == 0)

        let dry = try await run("remind", "--schedule", "platform-weekly", "--dry-run")
        #expect(dry.status == 0, "\(dry.stderr)")
        #expect(dry.stdout.contains("=== alice → bot:U0ALICE"))
        #expect(dry.stdout.contains("=== bob → no channel"))
        #expect(!dry.stdout.contains("=== dana"), "dana checked in")
        #expect(dry.stdout.contains("<a new check-in link, made when sent>"))
        #expect(try await receiver.requests("/slack-api").isEmpty, "a dry run sends nothing")

        let sent = try await run("remind", "--schedule", "platform-weekly")
        #expect(sent.status == 0, "\(sent.stderr)")
        #expect(sent.stdout.contains("alice: bot:U0ALICE") && sent.stdout.contains("bob: no channel"))
        #expect(try await receiver.requests("/slack-api").count == 1)
        let again = try await run("remind", "--schedule", "platform-weekly")
        #expect(again.stdout.contains("nobody to remind"), "\(again.stdout)")
        #expect(try await receiver.requests("/slack-api").count == 1)

        let schedule = try await run("schedule")
        let line = try #require(schedule.stdout.split(separator: "\n").first { $0.hasPrefix("platform-weekly") })
        #expect(line.contains("reminders "), "\(line)")
        #expect(line.contains("reminders 2026-11-27T14:00:00+08:00, 2026-11-27T16:00:00+08:00"), "3 h and 1 h before the 17:00 slot: \(line)")
    }
}
