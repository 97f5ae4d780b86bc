import Foundation
import Testing
@testable import NarrateApp
@testable import NarrateModel
@testable import NarrateTOML
@testable import NarrateConfig
@testable import NarrateReport
@testable import NarrateTargets
@testable import NarratePlatform
@testable import NarrateDaemon
@testable import NarrateStore

/// The daemon's services in this process, over a store that fails on demand: store trouble is
/// logged and retried with backoff, and never ends the service group.
@Suite struct DaemonServiceTests {
    @Test func storeErrorsAreRetriedAndTheGroupKeepsRunning() async throws {
        let config = exampleConfig(replacing: #"cron = "0 17 * * FRI""#, with: #"cron = "* * * * *""#)
        let printed = Printed()
        // 20 times real speed, 3 s before a cron minute.
        let clock = ScaledClock(start: try time("2026-11-27T16:59:57+08:00", "UTC"), rate: 20)
        let (plain, log) = try exampleContext(config: config, clock: clock, printed: printed)
        let faulty = FaultyStore(try SQLiteStore(directory: plain.stateDir))
        faulty.fail("lastRun", times: 3)
        faulty.fail("unfinishedDeliveries", times: 2)
        // Queueing the first slot's report fails once: the slot must not be lost.
        faulty.fail("enqueue", times: 1)
        let context = AppContext(
            config: plain.config, store: faulty, stateDir: plain.stateDir, logger: plain.logger, clock: clock,
            secrets: plain.secrets, transport: plain.transport, renderer: plain.renderer, output: printed.output)
        let daemon = NarrateDaemon.Daemon(
            context: context, configPath: plain.config.file, clock: clock, notifier: SystemdNotifier(environment: [:]),
            watchdogInterval: nil, foundations: [])
        let running = Task { try await daemon.run() }
        // The first slot is rendered and printed by the stdout target once the store answers again.
        for _ in 0..<200 where printed.all.isEmpty { try await Task.sleep(nanoseconds: 50_000_000) }
        #expect(!printed.all.isEmpty, "a report went out after the store recovered")
        #expect(faulty.failures(of: "lastRun") == 3 && faulty.failures(of: "unfinishedDeliveries") == 2)
        #expect(faulty.failures(of: "enqueue") == 1)
        let logged = log.all.joined(separator: "\n")
        #expect(logged.contains("scheduler: store: database is locked; trying again in"))
        #expect(logged.contains("delivery: store: database is locked; trying again in"))
        // Still running: the next minute fires too.
        let first = printed.all.count
        for _ in 0..<200 where printed.all.count == first { try await Task.sleep(nanoseconds: 50_000_000) }
        #expect(printed.all.count > first)
        running.cancel()
        _ = try? await running.value
        // The slot whose queueing failed was not recorded as failed (nor left claimed): it ran on a later tick.
        let runs = try await faulty.base.runs()
        #expect(runs.count >= 2 && runs.allSatisfy { $0.state == .done }, "\(runs.map { "\($0.slot) \($0.state)" })")
    }
}
