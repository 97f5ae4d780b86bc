import Foundation
import NarrateModel
import GRDB

extension SQLiteStore {
    /// Claims a (schedule, slot) for this process; false when it was already claimed or recorded.
    public func claim(_ run: Run) throws -> Bool {
        try write { db in
            try db.execute(
                sql: "INSERT OR IGNORE INTO run (schedule, team, slot, state, at, detail, manual) VALUES (?, ?, ?, ?, ?, ?, ?)",
                arguments: [
                    run.schedule, run.team, run.slot.timeIntervalSince1970, run.state.rawValue,
                    run.at.timeIntervalSince1970, run.detail, run.manual,
                ])
            return db.changesCount == 1
        }
    }

    public func claim(_ run: Run, queueing reports: [QueuedReport], now: Date) throws -> [(ReportRecord, [Delivery])]? {
        try write { db in try Self.claim(run, queueing: reports, now: now, in: db) }
    }

    /// One transaction for all: a hundred teams' reports were a hundred commits.
    public func claim(_ slots: [(Run, [QueuedReport])], now: Date) throws -> [[(ReportRecord, [Delivery])]?] {
        try write { db in try slots.map { try Self.claim($0.0, queueing: $0.1, now: now, in: db) } }
    }

    static func claim(_ run: Run, queueing reports: [QueuedReport], now: Date, in db: Database) throws
        -> [(ReportRecord, [Delivery])]?
    {
        try db.execute(
            sql: "INSERT OR IGNORE INTO run (schedule, team, slot, state, at, detail, manual) VALUES (?, ?, ?, ?, ?, ?, ?)",
            arguments: [
                run.schedule, run.team, run.slot.timeIntervalSince1970, run.state.rawValue,
                run.at.timeIntervalSince1970, run.detail, run.manual,
            ])
        guard db.changesCount == 1 else { return nil }
        let queued = try reports.map { try Self.enqueue($0.record, parts: $0.parts, now: now, in: db) }
        let ids = queued.map { "\($0.0.id)" }.joined(separator: ", ")
        let parts = queued.reduce(0) { $0 + $1.1.count }
        try db.execute(
            sql: "UPDATE run SET detail = ? WHERE schedule = ? AND slot = ?",
            arguments: [
                "report\(queued.count == 1 ? "" : "s") \(ids): \(parts) part\(parts == 1 ? "" : "s")", run.schedule,
                run.slot.timeIntervalSince1970,
            ])
        return queued
    }

    public func finish(schedule: String, slot: Date, state: Run.State, detail: String?, at: Date) throws {
        try write { db in
            try db.execute(
                sql: "UPDATE run SET state = ?, detail = ?, at = ? WHERE schedule = ? AND slot = ?",
                arguments: [state.rawValue, detail, at.timeIntervalSince1970, schedule, slot.timeIntervalSince1970])
        }
    }

    /// The latest slot of a schedule in the ledger (optionally in one state, before an instant).
    public func lastRun(schedule: String, state: Run.State?, before: Date?, manual: Bool?) throws -> Run? {
        try read { db in
            var sql = "SELECT * FROM run WHERE schedule = ?"
            var arguments: StatementArguments = [schedule]
            if let state {
                sql += " AND state = ?"
                arguments += [state.rawValue]
            }
            if let before {
                sql += " AND slot < ?"
                arguments += [before.timeIntervalSince1970]
            }
            if let manual {
                sql += " AND manual = ?"
                arguments += [manual]
            }
            return try Row.fetchOne(db, sql: sql + " ORDER BY slot DESC, id DESC LIMIT 1", arguments: arguments).map(Self.run)
        }
    }

    public func runs(since: Date?, teams: [String]?) throws -> [Run] {
        try read { db in
            var sql = "SELECT * FROM run WHERE slot >= ?"
            var arguments: StatementArguments = [since?.timeIntervalSince1970 ?? 0]
            if let teams {
                sql += " AND team IN (\(databaseQuestionMarks(count: teams.count)))"
                arguments += StatementArguments(teams)
            }
            return try Row.fetchAll(db, sql: sql + " ORDER BY slot, id", arguments: arguments).map(Self.run)
        }
    }

    static func run(_ row: Row) -> Run {
        Run(
            id: row["id"], schedule: row["schedule"], team: row["team"], slot: Date(timeIntervalSince1970: row["slot"]),
            state: Run.State(rawValue: row["state"]) ?? .failed, at: Date(timeIntervalSince1970: row["at"]),
            detail: row["detail"], manual: row["manual"])
    }
}
