import Foundation
import Synchronization
import Testing
@testable import NarrateModel
@testable import NarrateTOML
@testable import NarrateConfig
@testable import NarrateReport
@testable import NarrateTargets
@testable import NarratePlatform
@testable import NarrateDelivery
@testable import NarrateStore

/// Parts sent for different targets while a write is under way are recorded together in the
/// next write, each still told whether its next part was claimed.
@Suite struct SentPartsTests {
    @Test func partsSentDuringAWriteShareTheNextOne() async throws {
        let store = try SQLiteStore(directory: temporaryDirectory())
        let record = ReportRecord(team: "t", schedule: nil, periodStart: Date(), periodEnd: Date(), markdown: "x", createdAt: Date())
        let targets = (0..<5).map { "chat\($0)" }
        let (_, parts) = try store.enqueue(
            record, parts: targets.map { OutboxParts(target: $0, kind: .slack, bodies: ["1", "2"]) }, now: Date())
        let outbox = GatedOutbox(base: store)
        let sent = SentParts(outbox: outbox)
        func part(_ target: Int) -> SentPart {
            SentPart(id: parts[2 * target].id, receipt: "r\(target)", at: Date(), next: parts[2 * target + 1].id)
        }
        for target in 0..<5 { #expect(try store.beginSending(parts[2 * target].id, now: Date())) }

        // The held write blocks its thread, as a slow SQLite commit does: on narrate's executor,
        // as in the daemon, not on one of the test runner's two pool threads.
        async let first = withTaskExecutorPreference(QuietExecutor.shared) { try await sent.record(part(0)) }
        // The first write is held open; four more parts arrive meanwhile.
        try await outbox.waitUntilWriting()
        async let others = withThrowingTaskGroup(of: Bool.self) { group in
            for target in 1..<5 { group.addTask { try await sent.record(part(target)) } }
            return try await group.reduce(into: [Bool]()) { $0.append($1) }
        }
        while sent.waitingCount < 4 { try await Task.sleep(for: .milliseconds(5)) }
        outbox.release()

        #expect(try await first)
        #expect(try await others == [true, true, true, true])
        #expect(outbox.batches == [1, 4])
        #expect(sent.writes.load(ordering: .relaxed) == 2)
        let states = try await store.deliveries(reports: nil).map(\.state)
        #expect(states == Array(repeating: [Delivery.State.sent, .sending], count: 5).flatMap { $0 })

        // A target's first part is claimed through the same writes: once.
        let (_, more) = try store.enqueue(record, parts: [OutboxParts(target: "chat9", kind: .slack, bodies: ["1"])], now: Date())
        #expect(try await sent.record(.claim(more[0].id, at: Date())))
        #expect(try await !sent.record(.claim(more[0].id, at: Date())))
        #expect(try await !sent.record(.claim(parts[1].id, at: Date())))
        await #expect(try store.deliveries(reports: nil).last?.state == .sending)
    }
}

/// The store, with its first `finishSent` held until the test lets it go.
final class GatedOutbox: Outbox, @unchecked Sendable {
    // @unchecked Sendable: `base` is Sendable; `state` is a Mutex; the semaphores are thread-safe.
    let base: SQLiteStore
    private let state = Mutex((writing: false, batches: [Int]()))
    private let gate = DispatchSemaphore(value: 0)

    init(base: SQLiteStore) { self.base = base }

    var batches: [Int] { state.withLock { $0.batches } }

    func waitUntilWriting() async throws {
        while !state.withLock({ $0.writing }) { try await Task.sleep(for: .milliseconds(5)) }
    }

    func release() { gate.signal() }

    func finishSent(_ parts: [SentPart]) throws -> [Bool] {
        let first = state.withLock { state in
            state.batches.append(parts.count)
            defer { state.writing = true }
            return !state.writing
        }
        if first { gate.wait() }
        return try base.finishSent(parts)
    }

    func enqueue(_ report: ReportRecord, parts: [OutboxParts], now: Date) throws -> (ReportRecord, [Delivery]) {
        try base.enqueue(report, parts: parts, now: now)
    }
    func unfinishedDeliveries(reports: [Int64]?, target: String?) throws -> [Delivery] {
        try base.unfinishedDeliveries(reports: reports, target: target)
    }
    func deliveries(reports: [Int64]?, states: [Delivery.State]?) throws -> [Delivery] {
        try base.deliveries(reports: reports, states: states)
    }
    func beginSending(_ id: Int64, now: Date) throws -> Bool { try base.beginSending(id, now: now) }
    func finishAttempt(
        _ id: Int64, state: Delivery.State, error: String?, receipt: String?, nextAttemptAt: Date?, route: String?, at: Date
    ) throws {
        try base.finishAttempt(id, state: state, error: error, receipt: receipt, nextAttemptAt: nextAttemptAt, route: route, at: at)
    }
    func requeueAbandoned(now: Date, grace: (String) -> TimeInterval) throws -> Int {
        try base.requeueAbandoned(now: now, grace: grace)
    }
    func retryParked(ids: [Int64]?, now: Date) throws -> Int { try base.retryParked(ids: ids, now: now) }
}
