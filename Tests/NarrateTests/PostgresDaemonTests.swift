import Foundation
import Logging
import Testing
@testable import NarrateModel
@testable import NarratePostgres
@testable import NarrateStore

/// Two `narrate run` on one PostgreSQL database do the work of one: each slot claimed once,
/// each part sent by one courier at a time, what a killed instance leaves taken over after its
/// lease by the other.
@Suite(.enabled(if: PostgresTestServer.settings != nil, "needs the cluster of scripts/postgres.sh"))
struct PostgresDaemonTests {
    /// The receiver's Slack, a slot every minute, and `[store]` on `settings`' database.
    static func config(_ receiver: Receiver, _ settings: StoreSettings) throws -> CLI {
        let passwordFile = try #require(ProcessInfo.processInfo.environment["NARRATE_TEST_POSTGRES_PASSWORD_FILE"])
        var cli = DaemonTests.config(receiver)
        let text = try String(contentsOfFile: cli.directory + "/narrate.toml", encoding: .utf8) + """

            [store]
            url = "postgres://\(settings.user)@\(settings.host):\(settings.port)/\(settings.database)?sslmode=disable"
            password_file = "\(passwordFile)"

            """
        write(text, to: cli.directory + "/narrate.toml")
        cli.environment["NARRATE_TEST_RETRY_BASE"] = "0.05"
        return cli
    }

    @Test func twoInstancesThroughKillRoundsDeliverEveryPartOnce() async throws {
        let seed: UInt64 = 24
        let receiver = try await Receiver()
        try await PostgresTestServer.withDatabase { store, _ in
            try await store.migrate()
            var random = SeededRandom(seed: seed)
            let cli = try Self.config(receiver, store.settings)
            // Both instances read one clock, 40 times real time, from the same origin.
            let rate = 40.0
            let origin = (Date(), try TimeText.parse("2027-03-26T17:00:03+08:00", zone: .gmt, now: Date()))
            func clock() -> String {
                TimeText.iso(origin.1.addingTimeInterval(Date().timeIntervalSince(origin.0) * rate), in: TimeZone(identifier: "Asia/Taipei")!)
            }
            func start() async throws -> (DaemonTests.Daemon, NotifySocket) {
                let notify = try NotifySocket()
                return (try await DaemonTests.Daemon(cli, notify: notify, clock: clock(), rate: rate), notify)
            }
            var daemons = [try await start(), try await start()]
            for _ in 0..<20 {
                try await Task.sleep(nanoseconds: UInt64.random(in: 300_000_000...1_200_000_000, using: &random))
                let victim = Int.random(in: 0...1, using: &random)
                daemons[victim].0.signal(SIGKILL)
                _ = try await daemons[victim].0.finish()
                daemons[victim] = try await start()
            }
            // The survivors finish what is queued, the killed instances' parts after their lease.
            var parts: [Delivery] = []
            for _ in 0..<400 {
                try await Task.sleep(nanoseconds: 100_000_000)
                parts = try await store.deliveries(reports: nil)
                if !parts.isEmpty && parts.allSatisfy({ $0.state == .sent }) { break }
            }
            // The parts queued so far; slots keep coming (a minute is 1.5 s) until the stop below,
            // and one that fires while the instances stop is left queued for the next start.
            let settled = Set(parts.map(\.id))
            // Stopped once ready, so that SIGTERM finds its handler (a loaded machine starts slowly).
            for (daemon, notify) in daemons {
                #expect(try await notify.waitFor { $0.hasPrefix("READY=1") })
                daemon.signal(SIGTERM)
            }
            for (daemon, _) in daemons {
                let (status, log) = try await daemon.finish()
                #expect(status == 0, "seed \(seed): \(log)")
            }
            let all = try await store.deliveries(reports: nil)
            parts = all.filter { settled.contains($0.id) }
            let unsent = parts.filter { $0.state != .sent }
            let late = all.filter { !settled.contains($0.id) }
            #expect(late.allSatisfy { $0.state == .sent || $0.state == .pending }, "seed \(seed): queued during the stop, kept whole: \(late.map(\.state))")
            #expect(parts.count >= 5, "seed \(seed): slots were queued across the rounds (\(parts.count) parts)")
            #expect(unsent.isEmpty, "seed \(seed): \(unsent.count) of \(parts.count) parts not sent: \(unsent.prefix(3).map { "\($0.state) attempts \($0.attempts)" })")
            // One report a slot: two instances never both claimed one.
            let runs = try await store.runs().filter { $0.state == .done }
            let reports = try await store.reports(team: nil, kinds: [ReportRecord.reportKind], limit: 10_000)
            #expect(Set(runs.map(\.slot)).count == runs.count)
            #expect(reports.count == runs.count, "seed \(seed): \(reports.count) reports for \(runs.count) slots")
            // Every part recorded sent reached the receiver (a part killed in flight may arrive twice).
            let received = Set(try await receiver.requests("/slack/").compactMap { $0.json["text"] as? String })
            let missing = parts.filter { !received.contains($0.body) }
            #expect(missing.isEmpty, "seed \(seed): \(missing.count) parts recorded sent but never received")
        }
    }

    /// The database stops mid-cycle and comes back: the daemon keeps running, `/healthz` says
    /// 503 while the store does not answer and 200 after, `/metrics` counts the failures, and
    /// every part queued before, during and after is sent.
    @Test func aDatabaseRestartMidCycleLosesNothing() async throws {
        let receiver = try await Receiver()
        try await PrivateCluster.with { cluster in
            var logger = Logger(label: "narrate.store.test")
            logger.logLevel = .critical
            let store = try PostgresStore(settings: cluster.settings, password: nil, logger: logger)
            try await withThrowingTaskGroup(of: Void.self) { group in
                group.addTask { await store.run() }
                defer { group.cancelAll() }
                try await store.migrate()
                let cli = DaemonTests.config(receiver)
                let text = try String(contentsOfFile: cli.directory + "/narrate.toml", encoding: .utf8) + """

                    [http]
                    listen = "127.0.0.1:0"

                    [store]
                    url = "postgres://narrate@127.0.0.1:\(cluster.port)/postgres?sslmode=disable"

                    """
                write(text, to: cli.directory + "/narrate.toml")
                let daemon = try await ServeProcess(
                    cli, command: ["run"],
                    environment: ["NARRATE_TEST_CLOCK_START": DaemonTests.start, "NARRATE_TEST_CLOCK_RATE": "20", "NARRATE_TEST_RETRY_BASE": "0.05"],
                    executable: CLI.testClockExecutable)
                defer { daemon.stop() }
                let port = try await daemon.port()
                /// The health check once it answers `status` (or the last answer after 10 s).
                func health(becoming status: Int) async throws -> (Int, String) {
                    var answer = (0, "")
                    for _ in 0..<100 {
                        let response = try await liveTransport.send(HTTPRequest(method: "GET", url: "http://127.0.0.1:\(port)/healthz"))
                        answer = (response.status, String(decoding: response.body, as: UTF8.self))
                        if answer.0 == status { break }
                        try await Task.sleep(nanoseconds: 100_000_000)
                    }
                    return answer
                }
                func received() async throws -> Int { try await receiver.requests("/slack/").count }
                for _ in 0..<200 where try await received() == 0 { try await Task.sleep(nanoseconds: 50_000_000) }
                #expect(try await received() > 0)
                #expect(try await health(becoming: 200).0 == 200)

                try await cluster.stop()
                let down = try await health(becoming: 503)
                #expect(down.0 == 503, "\(down.1)")
                #expect(down.1.contains(#""store":{"error":"#), "\(down.1)")
                // Slots come due while the database is away (a minute is 3 s here).
                try await Task.sleep(nanoseconds: 4_000_000_000)
                #expect(daemon.process.isRunning)
                let before = try await received()

                try await cluster.start()
                var parts: [Delivery] = []
                for _ in 0..<300 {
                    try await Task.sleep(nanoseconds: 100_000_000)
                    parts = (try? await store.deliveries(reports: nil)) ?? []
                    if try await received() > before && parts.allSatisfy({ $0.state == .sent }) { break }
                }
                #expect(try await received() > before, "a slot after the restart was delivered: \(daemon.log.suffix(3000))")
                let unsent = parts.filter { $0.state != .sent }
                #expect(!parts.isEmpty && unsent.isEmpty, "\(unsent.count) of \(parts.count) parts not sent")
                let up = try await health(becoming: 200)
                if up.0 != 200 { Issue.record("the daemon's threads: \(await DaemonTests.stacks(of: daemon.process.processIdentifier))") }
                #expect(up.0 == 200, "\(up.1)")
                let metrics = try await liveTransport.send(HTTPRequest(method: "GET", url: "http://127.0.0.1:\(port)/metrics"))
                #expect(String(decoding: metrics.body, as: UTF8.self).contains(#"narrate_store_errors_total{store="postgres"}"#))
                let texts = Set(try await receiver.requests("/slack/").compactMap { $0.json["text"] as? String })
                #expect(parts.allSatisfy { texts.contains($0.body) }, "every part recorded sent was received")
                #expect(try await daemon.stopped() == 0)
                #expect(!daemon.log.contains("CancellationError"), "a shutdown is not a failure: \(daemon.log)")
                #expect(daemon.log.contains("running with postgres://narrate@127.0.0.1:\(cluster.port)/postgres?sslmode=disable"), "\(daemon.log)")
            }
        }
    }

    /// An idle instance on PostgreSQL wakes no more than on SQLite: after a slot it runs and
    /// delivers, nothing wakes it for 8 s; then a report another host queues wakes it at once. Its pool keeps its connections (a pool's idle timer
    /// is a `Task.sleep`, whose wake-up would start libdispatch's once-a-second monitor), and it
    /// waits for other hosts' work on its LISTEN connection.
    @Test func anIdleInstanceIsNotWoken() async throws {
        try await PostgresTestServer.withDatabase { store, _ in
            try await store.migrate()
            let receiver = try await Receiver()
            let cli = try Self.config(receiver, store.settings)
            let text = try String(contentsOfFile: cli.directory + "/narrate.toml", encoding: .utf8)
            write(text.replacingOccurrences(of: #"cron = "* * * * *""#, with: #"cron = "0 17 * * FRI""#), to: cli.directory + "/narrate.toml")
            let notify = try NotifySocket()
            // The Friday 17:00 slot comes two seconds after start.
            let daemon = try await DaemonTests.Daemon(cli, notify: notify, clock: "2026-11-27T16:59:58+08:00", rate: 1)
            #expect(try await notify.waitFor { $0.hasPrefix("READY=1") })
            for _ in 0..<200 where try await receiver.requests("/slack/").isEmpty { try await Task.sleep(nanoseconds: 50_000_000) }
            #expect(try await !receiver.requests("/slack/").isEmpty, "the slot ran and was delivered")
            // Idle means the slot's work is over: its parts recorded sent; postgres-nio's connect
            // deadline has passed for the connections the slot opened (it cancels its 10 s timer
            // task once connected, but the event loop still wakes once at that deadline: CI
            // counted that one wakeup on NIO-SGLTN-1-#1 twice); then no wakeup for 2 s.
            for _ in 0..<100 {
                let parts = try await store.deliveries(reports: nil)
                if !parts.isEmpty && parts.allSatisfy({ $0.state == .sent }) { break }
                try await Task.sleep(nanoseconds: 100_000_000)
            }
            try await Task.sleep(nanoseconds: 10_500_000_000)
            try await DaemonTests.settle(daemon.process.processIdentifier)
            let woken = try await DaemonTests.wakeups(of: daemon.process.processIdentifier, over: 8)
            #expect(woken.count == 0, "\(woken.count) wakeups in 8 s: \(woken.threads)")

            // Work another host queues (here: this test, on its own connection) is announced by
            // NOTIFY and sent at once; the idle courier would otherwise sleep until tomorrow.
            // Queued as of the daemon's clock (its test clock runs in November 2026): due now.
            let queued = try TimeText.parse("2026-11-27T17:00:05+08:00", zone: .gmt, now: Date())
            let record = ReportRecord(
                team: "platform", schedule: nil, periodStart: queued, periodEnd: queued, markdown: "from another host", createdAt: queued)
            _ = try await store.enqueue(record, parts: [OutboxParts(target: "slack", kind: .slack, bodies: ["from another host"])], now: queued)
            var texts: [String] = []
            for _ in 0..<100 where !texts.contains("from another host") {
                try await Task.sleep(nanoseconds: 50_000_000)
                texts = try await receiver.requests("/slack/").compactMap { $0.json["text"] as? String }
            }
            #expect(texts.contains("from another host"), "the idle instance was woken by the other host's NOTIFY")
            daemon.signal(SIGTERM)
            #expect(try await daemon.finish().0 == 0)
        }
    }
}
