import Foundation
import Testing
@testable import NarrateModel
@testable import NarrateTOML
@testable import NarrateConfig
@testable import NarrateReport
@testable import NarrateTargets
@testable import NarratePlatform
@testable import NarrateStore

@Suite struct OutboxChainTests {
    @Test func finishingAPartClaimsTheNextInTheSameWrite() async throws {
        let store = try SQLiteStore(directory: temporaryDirectory())
        let record = ReportRecord(team: "t", schedule: nil, periodStart: Date(), periodEnd: Date(), markdown: "x", createdAt: Date())
        let (_, parts) = try store.enqueue(record, parts: [OutboxParts(target: "chat", kind: .slack, bodies: ["1", "2", "3"])], now: Date())
        #expect(try store.beginSending(parts[0].id, now: Date()))
        await #expect(try store.finishSent(parts[0].id, receipt: "r1", at: Date(), thenBegin: parts[1].id))
        var states = try await store.deliveries(reports: nil).map(\.state)
        #expect(states == [.sent, .sending, .pending])
        // A part someone else holds is not claimed twice.
        await #expect(try !store.finishSent(parts[1].id, receipt: nil, at: Date(), thenBegin: parts[1].id))
        await #expect(try store.finishSent(parts[1].id, receipt: nil, at: Date(), thenBegin: parts[2].id))
        await #expect(try store.finishSent(parts[2].id, receipt: nil, at: Date(), thenBegin: nil) == false)
        states = try await store.deliveries(reports: nil).map(\.state)
        #expect(states == [.sent, .sent, .sent])
        await #expect(try store.deliveries(reports: nil).map(\.attempts) == [1, 1, 1])
    }
}
