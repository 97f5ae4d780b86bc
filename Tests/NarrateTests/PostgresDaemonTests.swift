import Foundation
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
            var daemons = [try await DaemonTests.Daemon(cli, notify: nil, clock: clock(), rate: rate),
                           try await DaemonTests.Daemon(cli, notify: nil, clock: clock(), rate: rate)]
            for _ in 0..<20 {
                try await Task.sleep(nanoseconds: UInt64.random(in: 300_000_000...1_200_000_000, using: &random))
                let victim = Int.random(in: 0...1, using: &random)
                daemons[victim].signal(SIGKILL)
                _ = try await daemons[victim].finish()
                daemons[victim] = try await DaemonTests.Daemon(cli, notify: nil, clock: clock(), rate: rate)
            }
            // The survivors finish what is queued, the killed instances' parts after their lease.
            var parts: [Delivery] = []
            for _ in 0..<400 {
                try await Task.sleep(nanoseconds: 100_000_000)
                parts = try await store.deliveries(reports: nil)
                if !parts.isEmpty && parts.allSatisfy({ $0.state == .sent }) { break }
            }
            for daemon in daemons { daemon.signal(SIGTERM) }
            for daemon in daemons { #expect(try await daemon.finish().0 == 0, "seed \(seed)") }
            parts = try await store.deliveries(reports: nil)
            let unsent = parts.filter { $0.state != .sent }
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
}
