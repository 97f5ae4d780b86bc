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

/// `narrate run` as a real process: systemd notifications on a socket the test owns, a loopback
/// receiver, signals. The daemon runs through the test-only entry point `narrate-test-clock`,
/// whose clock starts just after a cron minute and runs 20 times faster
/// (`NARRATE_TEST_CLOCK_START`, `NARRATE_TEST_CLOCK_RATE`), so a slot comes every 3 seconds.
@Suite struct DaemonTests {
    static let start = "2026-11-27T17:00:03+08:00"

    struct Daemon {
        let child: ChildProcess
        var process: Spawned { child.process }

        init(_ cli: CLI, notify: NotifySocket?, clock: String = DaemonTests.start, rate: Double = 20) async throws {
            var environment = cli.environment
            environment["NARRATE_TEST_CLOCK_START"] = clock
            environment["NARRATE_TEST_CLOCK_RATE"] = String(rate)
            environment["NARRATE_TEST_RETRY_BASE"] = "0.05"
            if let notify { environment["NOTIFY_SOCKET"] = notify.path }
            // Its log is read as it is written: a daemon that logs much never blocks on a full pipe.
            child = try await ChildProcess(
                CLI.testClockExecutable, ["run"], environment: environment, directory: cli.directory, captureStdout: false)
        }

        func signal(_ number: Int32) { child.signal(number) }

        /// Waits for the process to end; returns its exit status and stderr.
        func finish(within seconds: TimeInterval = 30) async throws -> (Int32, String) {
            let output = try await child.finish(within: seconds)
            return (output.status, output.stderr)
        }
    }

    /// A config whose schedule fires every minute and reports to the receiver's Slack.
    static func config(_ receiver: Receiver, targets: [String] = ["slack"], extra: String = "") -> CLI {
        var (text, environment) = receiver.config(targets: targets, extra: extra)
        text = text.replacingOccurrences(of: #"cron = "0 17 * * FRI""#, with: #"cron = "* * * * *""#)
            .replacingOccurrences(of: #"period = "week" "#, with: #"period = "since-last" "#)
        var cli = CLI(config: text)
        cli.environment.merge(environment) { $1 }
        return cli
    }

    @Test func firesSlotsReloadsSafelyAndStopsOnSIGTERM() async throws {
        let receiver = try await Receiver()
        let cli = Self.config(receiver)
        let notify = try NotifySocket()
        let daemon = try await Daemon(cli, notify: notify)
        #expect(try await notify.waitFor { $0.hasPrefix("READY=1") })

        // The 17:00 slot is delivered.
        var slack: [Receiver.Request] = []
        for _ in 0..<200 where slack.isEmpty {
            try await Task.sleep(nanoseconds: 50_000_000)
            slack = try await receiver.requests("/slack/")
        }
        #expect(slack.count >= 1)
        #expect((slack.first?.json["text"] as? String)?.hasPrefix("*Platform · since") == true)

        // A broken config on SIGHUP is refused; the old schedule keeps firing.
        write("[narrate\ntimezone = 3\n", to: cli.directory + "/narrate.toml")
        daemon.signal(SIGHUP)
        #expect(try await notify.waitFor { $0.hasPrefix("RELOADING=1\nMONOTONIC_USEC=") })
        #expect(try await notify.waitFor { $0 == "READY=1" })
        let before = slack.count
        for _ in 0..<200 where slack.count < before + 2 {
            try await Task.sleep(nanoseconds: 50_000_000)
            slack = try await receiver.requests("/slack/")
        }
        #expect(slack.count >= before + 2, "17:01 and 17:02 still fire")

        daemon.signal(SIGTERM)
        let (status, log) = try await daemon.finish()
        #expect(status == 0)
        #expect(try await notify.waitFor(2) { $0 == "STOPPING=1" })
        #expect(log.contains("reload refused"))
        #expect(log.contains("TOML syntax"))
        #expect(log.contains("stopped"))
        let runs = try await SQLiteStore(directory: cli.stateDir).runs()
        #expect(runs.count >= 3 && runs.allSatisfy { $0.state == .done })
        #expect(Set(runs.map(\.slot)).count == runs.count)
    }

    /// Context switches of each thread of a process, by thread id.
    static func contextSwitches(_ pid: Int32) -> [String: Int] {
        let tasks = (try? FileManager.default.contentsOfDirectory(atPath: "/proc/\(pid)/task")) ?? []
        var switches: [String: Int] = [:]
        for task in tasks {
            guard let status = try? String(contentsOfFile: "/proc/\(pid)/task/\(task)/status", encoding: .utf8) else { continue }
            switches[task + ":" + ((try? String(contentsOfFile: "/proc/\(pid)/task/\(task)/comm", encoding: .utf8)) ?? "").trimmingCharacters(in: .whitespacesAndNewlines)] = status.split(separator: "\n").filter { $0.contains("ctxt_switches") }
                .compactMap { $0.split(separator: ":").last.flatMap { Int($0.trimmingCharacters(in: .whitespaces)) } }.reduce(0, +)
        }
        return switches
    }

    /// Waits until `pid` has gone `quiet` seconds without being switched in (the end of a slot's
    /// last writes and answers, which a loaded machine is slow to finish), at most `limit`
    /// seconds. A tick of a period up to `quiet` never lets it settle, and a longer one shows
    /// in the window measured next.
    static func settle(_ pid: Int32, quiet: Double = 2, within limit: Double = 20) async throws {
        let deadline = Date().addingTimeInterval(limit)
        while Date() < deadline {
            if try await wakeups(of: pid, over: quiet).count == 0 { return }
        }
    }

    /// Every thread's stack of `pid` (gdb, when installed): what a hung daemon was waiting on,
    /// for a failure message.
    static func stacks(of pid: Int32) async -> String {
        guard FileManager.default.isExecutableFile(atPath: "/usr/bin/gdb") else { return "(no gdb to show the threads)" }
        let output = try? await ChildProcess.run("/usr/bin/gdb", ["-p", "\(pid)", "-batch", "-ex", "thread apply all bt 25"])
        return (output?.stdout ?? "").split(separator: "\n").filter { $0.hasPrefix("Thread") || $0.hasPrefix("#") }.joined(separator: "\n")
    }

    /// How often `pid`'s threads were switched in over `seconds`, and by thread where any was.
    static func wakeups(of pid: Int32, over seconds: Double) async throws -> (count: Int, threads: [String: Int]) {
        let before = contextSwitches(pid)
        try await Task.sleep(nanoseconds: UInt64(seconds * 1_000_000_000))
        let after = contextSwitches(pid)
        return (after.reduce(0) { $0 + $1.value - (before[$1.key] ?? 0) }, after.filter { $0.value != before[$0.key] })
    }

    /// Between slots nothing wakes the daemon: not Swift's global executor (libdispatch's pool
    /// monitor ticked every second), not the HTTP service's date, not a source's time limit.
    @Test func anIdleDaemonIsNotWokenAfterASlot() async throws {
        let cli = CLI(config: ExampleConfig.text + """

            [[source]]
            id = "script"
            kind = "command"
            mode = "draft"
            command = ["/bin/sh", "-c", "echo '{\\"person\\":\\"alice\\",\\"kind\\":\\"progress\\",\\"text\\":\\"x\\"}'"]
            """)
        var withSocket = cli
        withSocket.environment["RUNTIME_DIRECTORY"] = cli.directory + "/run"
        let notify = try NotifySocket()
        // The Friday 17:00 slot comes two seconds after start; its report goes to stdout and a file.
        let daemon = try await Daemon(withSocket, notify: notify, clock: "2026-11-27T16:59:58+08:00", rate: 1)
        #expect(try await notify.waitFor { $0.hasPrefix("READY=1") })
        let report = cli.stateDir + "/reports"
        for _ in 0..<200 where ((try? FileManager.default.contentsOfDirectory(atPath: report)) ?? []).isEmpty {
            try await Task.sleep(nanoseconds: 50_000_000)
        }
        #expect(!((try? FileManager.default.contentsOfDirectory(atPath: report)) ?? []).isEmpty, "the slot ran")
        try await Self.settle(daemon.process.processIdentifier)
        let woken = try await Self.wakeups(of: daemon.process.processIdentifier, over: 8)
        #expect(woken.count == 0, "\(woken.count) wakeups in 8 s: \(woken.threads)")
        #expect(FileManager.default.fileExists(atPath: cli.directory + "/run/narrate.sock"), "the check-in socket was served")
        daemon.signal(SIGTERM)
        let (status, _) = try await daemon.finish()
        #expect(status == 0)
    }

    @Test func invalidConfigNeverReportsReady() async throws {
        let notify = try NotifySocket()
        let cli = CLI(config: exampleConfig(replacing: "0 17 * * FRI", with: "0 17 * * FRY"))
        let daemon = try await Daemon(cli, notify: notify)
        let (status, log) = try await daemon.finish()
        #expect(status == 1)
        #expect(log.contains("day-of-week: \"FRY\""))
        #expect(!notify.drain().contains { $0.hasPrefix("READY=1") })
    }

    @Test func twoDaemonsOnOneStoreRunEachSlotOnce() async throws {
        let receiver = try await Receiver()
        let cli = Self.config(receiver)
        let first = try await Daemon(cli, notify: nil)
        let second = try await Daemon(cli, notify: nil)
        try await Task.sleep(nanoseconds: 8_000_000_000)  // 160 s of daemon time: slots 17:00, 17:01, 17:02
        first.signal(SIGTERM)
        second.signal(SIGTERM)
        let (firstStatus, _) = try await first.finish()
        let (secondStatus, _) = try await second.finish()
        #expect(firstStatus == 0 && secondStatus == 0)
        let store = try SQLiteStore(directory: cli.stateDir)
        let runs = try await store.runs().filter { $0.state == .done }
        #expect(runs.count >= 2)
        let parts = try await store.deliveries()
        #expect(Set(parts.map(\.report)).count == runs.count, "one report per slot")
        // A slot queued just before SIGTERM may still wait in the outbox; none is sent twice.
        let slack = try await receiver.requests("/slack/")
        #expect(slack.count == parts.filter { $0.state == .sent }.count, "each slot delivered once")
        #expect(parts.filter { $0.state != .sent }.count <= 1, "\(parts.map(\.state))")
    }

    @Test func restartAfterSIGKILLSendsOnlyTheUnfinishedParts() async throws {
        let receiver = try await Receiver()
        // The hung request's timeout outlasts the kill, with room for a loaded machine (at 3 s
        // it once did not); the restart takes the part over once the timeout and its grace
        // (8 + 5 s) have passed on its clock.
        let extra = "\n[[target]]\nid = \"small\"\nkind = \"discord\"\nurl_env = \"DISCORD_URL\"\nlimit = 300\nrate = 50\ntimeout = 8\n"
        let cli = Self.config(receiver, targets: ["small"], extra: extra)
        #expect(try await cli.run("demo").status == 0)  // a full week makes a report of several parts
        try await receiver.plan("/discord/", [["status": 204], ["hang": 30]])
        let daemon = try await Daemon(cli, notify: nil, clock: "2026-11-27T17:00:01+08:00", rate: 1)
        var seen = 0
        for _ in 0..<200 where seen < 2 {
            try await Task.sleep(nanoseconds: 50_000_000)
            seen = try await receiver.requests("/discord/").count
        }
        #expect(seen == 2)
        daemon.signal(SIGKILL)
        _ = try await daemon.finish()
        let store = try SQLiteStore(directory: cli.stateDir)
        let parts = try await store.deliveries()
        #expect(parts.count > 2 && parts[0].state == .sent && parts[1].state == .sending)

        // Restarted within the same minute, its clock past the lease: no new slot, the leftover
        // parts go out once, without the test waiting out the lease in real time.
        let restarted = try await Daemon(cli, notify: nil, clock: "2026-11-27T17:00:30+08:00", rate: 1)
        var contents: [String] = []
        for _ in 0..<600 where contents.count < parts.count + 1 {
            try await Task.sleep(nanoseconds: 50_000_000)
            contents = try await receiver.requests("/discord/").map { $0.json["content"] as? String ?? "" }
        }
        restarted.signal(SIGTERM)
        let (status, _) = try await restarted.finish()
        #expect(status == 0)
        #expect(contents.count == parts.count + 1, "part 2 twice (the hung attempt and its resend), every other part once")
        #expect(contents.filter { $0.hasSuffix("(1/\(parts.count))") }.count == 1)
        await #expect(try store.deliveries().allSatisfy { $0.state == .sent })
        await #expect(try store.runs().count == 1)
    }

    /// The daemon under a clock 30 times faster, killed with SIGKILL at random moments, each
    /// restart's clock going on where the last one stopped: every part it queued is delivered.
    /// The clock starts ahead of the real date, as a test clock may: the outbox's times and the
    /// courier's now must come from the one clock (they once came from the system's, and parts
    /// queued by the scaled clock were never due).
    @Test func killRoundsUnderAFastClockDeliverEveryQueuedPart() async throws {
        let receiver = try await Receiver()
        let cli = Self.config(receiver)
        let seed: UInt64 = 30
        var random = SeededRandom(seed: seed)
        let rate = 30.0
        var clock = try TimeText.parse("2027-03-26T17:00:03+08:00", zone: .gmt, now: Date())
        func iso(_ date: Date) -> String { TimeText.iso(date, in: TimeZone(identifier: "Asia/Taipei")!) }
        for _ in 0..<12 {
            let started = Date()
            let daemon = try await Daemon(cli, notify: nil, clock: iso(clock), rate: rate)
            try await Task.sleep(nanoseconds: UInt64.random(in: 400_000_000...2_000_000_000, using: &random))
            daemon.signal(SIGKILL)
            _ = try await daemon.finish()
            clock = clock.addingTimeInterval(Date().timeIntervalSince(started) * rate)
        }
        // A last run at real speed, 5 s past the next minute: it catches up that slot and has
        // the next one a minute away, so no new report races the check below. Stopped when
        // nothing is left to send (or after 30 s), once it is ready, so that SIGTERM finds its
        // handler.
        let minute = (clock.timeIntervalSince1970 / 60).rounded(.up) * 60
        let notify = try NotifySocket()
        let last = try await Daemon(cli, notify: notify, clock: iso(Date(timeIntervalSince1970: minute + 5)), rate: 1)
        #expect(try await notify.waitFor { $0.hasPrefix("READY=1") })
        let store = try SQLiteStore(directory: cli.stateDir)
        for _ in 0..<300 {
            try await Task.sleep(nanoseconds: 100_000_000)
            let parts = try await store.deliveries()
            if !parts.isEmpty && parts.allSatisfy({ $0.state == .sent }) { break }
        }
        last.signal(SIGTERM)
        #expect(try await last.finish().0 == 0)
        let parts = try await store.deliveries()
        let unsent = parts.filter { $0.state != .sent }
        #expect(parts.count >= 3, "seed \(seed): slots were queued across the rounds (\(parts.count) parts)")
        #expect(unsent.isEmpty, "seed \(seed): \(unsent.count) of \(parts.count) parts not sent: \(unsent.prefix(3).map { "\($0.state) attempts \($0.attempts) due \($0.nextAttemptAt)" })")
        // Each sent part reached the receiver (a part killed in flight may arrive twice).
        let received = Set(try await receiver.requests("/slack/").compactMap { $0.json["text"] as? String })
        let missing = parts.filter { !received.contains($0.body) }
        #expect(missing.isEmpty, "seed \(seed): \(missing.count) parts recorded sent but never received")
    }

    @Test func restartAfterDowntimeCatchesUpTheNewestSlotAndRecordsTheRestAsSkipped() async throws {
        let receiver = try await Receiver()
        let cli = Self.config(receiver)
        let first = try await Daemon(cli, notify: nil, clock: "2026-11-27T17:00:01+08:00", rate: 1)
        var sent = 0
        for _ in 0..<200 where sent < 1 {
            try await Task.sleep(nanoseconds: 50_000_000)
            sent = try await receiver.requests("/slack/").count
        }
        first.signal(SIGTERM)
        #expect(try await first.finish().0 == 0)

        // Down for ten minutes: 17:01 … 17:09 are skipped, 17:10 (younger than catch_up) runs late.
        let notify = try NotifySocket()
        let second = try await Daemon(cli, notify: notify, clock: "2026-11-27T17:10:20+08:00", rate: 1)
        #expect(try await notify.waitFor { $0.hasPrefix("READY=1") })
        for _ in 0..<200 where sent < 2 {
            try await Task.sleep(nanoseconds: 50_000_000)
            sent = try await receiver.requests("/slack/").count
        }
        second.signal(SIGTERM)
        let (status, log) = try await second.finish()
        #expect(status == 0 && sent == 2)
        #expect(log.contains("9 missed slot(s) recorded as skipped, the latest 2026-11-27T17:09:00+08:00"))
        let history = try await cli.run("history", "--team", "platform").stdout
        #expect(history.components(separatedBy: "  skipped  missed while narrate was not running").count - 1 == 9)
        #expect(history.contains("2026-11-27T17:10:00+08:00  platform-weekly  platform  done"))
    }

    @Test func unitFilePassesSystemdAnalyzeVerify() async throws {
        let analyze = "/usr/bin/systemd-analyze"
        try #require(FileManager.default.isExecutableFile(atPath: analyze), "systemd-analyze is installed by scripts/setup.sh")
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let unit = try String(contentsOf: root.appendingPathComponent("config/narrate.service"), encoding: .utf8)
        let bindir = URL(fileURLWithPath: CLI.executable).deletingLastPathComponent().path
        let directory = temporaryDirectory("unit")
        write(unit.replacingOccurrences(of: "@BINDIR@", with: bindir).replacingOccurrences(of: "@SYSCONFDIR@", with: "/etc"),
              to: directory + "/narrate.service")
        for needed in ["Type=notify", "WatchdogSec=", "DynamicUser=yes", "StateDirectory=narrate", "ProtectSystem=strict",
                       "NoNewPrivileges=yes", "ExecReload=/bin/kill -HUP $MAINPID", "ExecStartPre=\(bindir)/narrate check"] {
            #expect(unit.replacingOccurrences(of: "@BINDIR@", with: bindir).contains(needed), "\(needed)")
        }
        let verified = try await ChildProcess.run(analyze, ["verify", directory + "/narrate.service"])
        let text = verified.stderr
        #expect(verified.status == 0, "\(text)")
        #expect(!text.contains("narrate.service"), "\(text)")
    }

    /// The socket for local check-ins must not cost the unit its hardening.
    @Test func unitKeepsItsExposureScoreWithTheCheckInSocket() async throws {
        let analyze = "/usr/bin/systemd-analyze"
        try #require(FileManager.default.isExecutableFile(atPath: analyze), "systemd-analyze is installed by scripts/setup.sh")
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let unit = try String(contentsOf: root.appendingPathComponent("config/narrate.service"), encoding: .utf8)
        #expect(unit.contains("RuntimeDirectory=narrate"))
        let directory = temporaryDirectory("unit")
        write(unit.replacingOccurrences(of: "@BINDIR@", with: "/usr/local/bin").replacingOccurrences(of: "@SYSCONFDIR@", with: "/etc"),
              to: directory + "/narrate.service")
        let text = try await ChildProcess.run(analyze, ["security", "--offline=true", directory + "/narrate.service"]).stdout
        let line = try #require(text.split(separator: "\n").first { $0.contains("Overall exposure level") }, "\(text)")
        let score = try #require(line.split(separator: ":").last?.split(separator: " ").first.flatMap { Double($0) }, "\(line)")
        #expect(score <= 1.4, "\(line)")
    }

    @Test func journalGetsSyslogPriorities() async throws {
        let cli = CLI(config: exampleConfig(replacing: "horizon = \"leading\"", with: "horizon = \"lagging\""))
        let result = try await cli.run(["log", "win", "x", "--as", "alice"], environment: ["JOURNAL_STREAM": "8:1234"])
        #expect(result.stderr.hasPrefix("<4>\(cli.directory)/narrate.toml:"), "a warning is priority 4: \(result.stderr)")
        // Another store, which has not shown these warnings yet (they come once a store).
        let other = CLI(config: exampleConfig(replacing: "horizon = \"leading\"", with: "horizon = \"lagging\""))
        let plain = try await other.run("log", "win", "y", "--as", "alice")
        #expect(plain.stderr.hasPrefix("narrate: warning: "))
    }
}

/// Catch-up decisions, pure, with dates across a DST change.
@Suite struct SlotPlannerTests {
    func date(_ text: String) -> Date { try! TimeText.parse(text, zone: .gmt, now: Date()) }

    @Test func newestSlotRunsWhenYoungerThanCatchUpAndOlderOnesAreSkipped() {
        let slots = [date("2026-11-20T09:00:00Z"), date("2026-11-21T09:00:00Z"), date("2026-11-22T09:00:00Z")]
        let late = SlotPlanner.decide(due: slots, now: date("2026-11-22T10:30:00Z"), catchUp: 7_200)
        #expect(late.run == slots[2] && late.skipped == Array(slots.prefix(2)))
        let tooLate = SlotPlanner.decide(due: slots, now: date("2026-11-22T11:30:00Z"), catchUp: 7_200)
        #expect(tooLate.run == nil && tooLate.skipped == slots)
        #expect(SlotPlanner.decide(due: [], now: Date(), catchUp: 60) == .init(run: nil, skipped: []))
    }

    @Test func downtimeAcrossSpringForwardCatchesUpTheGapFire() throws {
        // Berlin, daily 02:30 (in the gap on 29 March): the daemon was down from 01:00 to 03:20 local.
        let cron = CronSchedule(cron: try CronExpression("30 2 * * *"), zone: TimeZone(identifier: "Europe/Berlin")!)
        let down = date("2026-03-29T00:00:00Z")  // 01:00 CET
        let back = date("2026-03-29T01:20:00Z")  // 03:20 CEST
        let due = cron.fires(after: down, upTo: back)
        #expect(due.map { TimeText.iso($0, in: cron.zone) } == ["2026-03-29T03:00:00+02:00"])
        let decision = SlotPlanner.decide(due: due, now: back, catchUp: 3_600)
        #expect(decision.run == due.first && decision.skipped.isEmpty)
    }

    @Test func clockJumpForwardOverSeveralSlotsRunsOnlyTheLatest() throws {
        let cron = CronSchedule(cron: try CronExpression("0 * * * *"), zone: TimeZone(identifier: "Asia/Taipei")!)
        let before = date("2026-11-27T00:10:00Z")
        let after = date("2026-11-27T05:05:00Z")  // suspended for five hours
        let decision = SlotPlanner.decide(due: cron.fires(after: before, upTo: after), now: after, catchUp: 1_800)
        #expect(decision.run == date("2026-11-27T05:00:00Z"))
        #expect(decision.skipped.count == 4)
    }
}
