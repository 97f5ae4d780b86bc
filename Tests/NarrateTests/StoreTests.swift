import Foundation
import GRDB
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

@Suite struct StoreTests {
    @Test func storeIsSQLiteInWALModeWithMigrationsApplied() throws {
        let directory = temporaryDirectory()
        let store = try SQLiteStore(directory: directory + "/state")
        #expect(FileManager.default.fileExists(atPath: directory + "/state/narrate.sqlite"))
        let mode = try store.read { try String.fetchOne($0, sql: "PRAGMA journal_mode") }
        #expect(mode == "wal")
        let applied = try store.read { try SQLiteStore.migrator.appliedIdentifiers($0) }
        #expect(applied == Set(SQLiteStore.migrator.migrations))
    }

    @Test func entriesRoundTripAsUTCInstants() throws {
        let store = try SQLiteStore(directory: temporaryDirectory())
        let at = try TimeText.parse("2026-11-20T09:30:00+08:00", zone: .gmt, now: Date())
        let stored = try store.add(Entry(person: "alice", kind: .blocker, text: "db", stage: .middle, kpi: "lead-time", at: at), now: Date())
        #expect(stored.displayID == "B-\(stored.id)")
        let raw = try store.read { try Double.fetchOne($0, sql: "SELECT at FROM entry") }
        #expect(raw == at.timeIntervalSince1970)
        #expect(try store.entry(stored.id) == stored)
        #expect(stored.state == .open)
    }

    @Test func closingFollowsKindAndStateRules() async throws {
        let (context, _) = try exampleContext()
        let dana = context.config.person("dana")!
        let blocker = try await context.checkIns.log(.blocker, text: "b", by: dana, at: nil)
        let next = try await context.checkIns.log(.next, text: "n", by: dana, at: nil)
        let progress = try await context.checkIns.log(.progress, text: "p", by: dana, at: nil)
        let ref = { try EntryReference(parsing: $0) }
        let checkIns = context.checkIns

        await #expect(throws: NarrateError(.invalidInput, "\(blocker.displayID) is a blocker entry; narrate done works on next actions")) {
            try await checkIns.close(ref(blocker.displayID), as: .done)
        }
        await #expect(throws: NarrateError(.notFound, "N-\(blocker.id) does not exist; entry \(blocker.id) is \(blocker.displayID), a blocker")) {
            try await checkIns.close(ref("N-\(blocker.id)"), as: .done)
        }
        await #expect(throws: NarrateError(.invalidInput, "\(progress.displayID) is a progress entry; narrate drop works on blockers and next actions")) {
            try await checkIns.close(ref(progress.displayID), as: .dropped)
        }
        await #expect(throws: NarrateError(.notFound, "no entry 999")) { try await checkIns.close(ref("999"), as: .resolved) }
        // "an ask", and every kind's letter in the id error.
        let ask = try await context.checkIns.log(.ask, text: "a", by: dana, at: nil)
        await #expect(throws: NarrateError(.invalidInput, "\(ask.displayID) is an ask entry; narrate resolve works on blockers")) {
            try await checkIns.close(ref(ask.displayID), as: .resolved)
        }
        await #expect(throws: NarrateError(.notFound, "B-\(ask.id) does not exist; entry \(ask.id) is \(ask.displayID), an ask")) {
            try await checkIns.close(ref("B-\(ask.id)"), as: .resolved)
        }
        #expect(throws: NarrateError(.invalidInput, "\"X-1\" is not an entry id; the letter is one of P, B, N, L, W, H, A, D")) { try ref("X-1") }

        let resolved = try await checkIns.close(ref(blocker.displayID), as: .resolved, note: "fixed")
        #expect(resolved.state == .resolved && resolved.note == "fixed" && resolved.closedAt != nil)
        await #expect(throws: NarrateError.self) { try await checkIns.close(ref(blocker.displayID), as: .resolved) }
        await #expect(try checkIns.close(ref("\(next.id)"), as: .dropped).state == .dropped)
        await #expect(try context.store.entry(next.id)?.state == .dropped)
    }

    @Test func storeFromANewerVersionIsRefusedAndLeftUnchanged() throws {
        let directory = temporaryDirectory()
        let path = directory + "/narrate.sqlite"
        do {
            let store = try SQLiteStore(path: path)
            try store.write { try $0.execute(sql: "INSERT INTO grdb_migrations VALUES ('v99-from-the-future')") }
        }
        let before = try schema(path)
        #expect {
            try SQLiteStore(path: path)
        } throws: { error in
            let message = "\(error)"
            return message.contains("written by a newer version of narrate") && message.contains("v99-from-the-future")
        }
        #expect(try schema(path) == before)
    }

    /// Tables, indexes and applied migrations, read without narrate's own code.
    func schema(_ path: String) throws -> [String] {
        var configuration = Configuration()
        configuration.readonly = true
        let queue = try DatabaseQueue(path: path, configuration: configuration)
        return try queue.read { db in
            try String.fetchAll(db, sql: "SELECT coalesce(sql, name) FROM sqlite_master ORDER BY name")
                + String.fetchAll(db, sql: "SELECT identifier FROM grdb_migrations ORDER BY identifier")
        }
    }

    @Test func concurrentWritersInOneProcessAllSucceed() async throws {
        let directory = temporaryDirectory()
        let stores = try (0..<4).map { _ in try SQLiteStore(directory: directory) }
        try await withThrowingTaskGroup(of: Void.self) { group in
            for (index, store) in stores.enumerated() {
                group.addTask {
                    for n in 0..<25 {
                        try store.add(Entry(person: "p\(index)", kind: .progress, text: "\(n)", at: Date()), now: Date())
                    }
                }
            }
            try await group.waitForAll()
        }
        #expect(try stores[0].entryCount() == 100)
    }

    /// A report's readings come from the index alone, never from a table lookup per reading.
    @Test func readingsAreReadFromTheIndexAlone() throws {
        let store = try SQLiteStore(directory: temporaryDirectory())
        try store.record((0..<50).map { MetricReading(kpi: "k\($0 % 5)", value: Double($0), at: Date(timeIntervalSince1970: Double($0) * 3_600)) })
        let plan = try store.read { db in
            try Row.fetchAll(db, sql: "EXPLAIN QUERY PLAN " + SQLiteStore.readingsSQL(kpis: 3), arguments: ["k1", "k2", "k3", 0, 1e12])
                .map { $0["detail"] as String }
        }
        #expect(plan.contains { $0.contains("USING COVERING INDEX metric_kpi_at_value") }, "\(plan)")
        let readings = try store.readings(kpis: ["k1", "k2"], from: .distantPast, to: .distantFuture)
        #expect(readings.count == 20 && readings.map(\.at) == readings.map(\.at).sorted())
    }
}
