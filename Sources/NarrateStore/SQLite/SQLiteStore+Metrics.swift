import Foundation
import NarrateModel
import GRDB

extension SQLiteStore {
    @discardableResult
    public func record(_ readings: [MetricReading]) throws -> Int {
        try write { db in
            var replaced = 0
            for reading in readings {
                // Compiled once for the whole batch (a year of readings is 50,000 rows).
                try db.cachedStatement(sql: "DELETE FROM metric WHERE kpi = ? AND at = ?")
                    .execute(arguments: [reading.kpi, reading.at.timeIntervalSince1970])
                replaced += db.changesCount
                try Self.insert(reading, in: db)
            }
            return replaced
        }
    }

    public func recordWithoutReplacing(_ readings: [MetricReading]) throws {
        try write { db in
            var conflicts: [MetricReading] = []
            var fresh: [MetricReading] = []
            for reading in readings {
                if let kept = try Self.reading(kpi: reading.kpi, at: reading.at, in: db) {
                    if kept.value != reading.value { conflicts.append(kept) }
                } else {
                    fresh.append(reading)
                }
            }
            // Thrown inside the transaction: GRDB rolls it back, so nothing of the batch is kept.
            guard conflicts.isEmpty else { throw ReadingConflict(kept: conflicts) }
            for reading in fresh { try Self.insert(reading, in: db) }
        }
    }

    public func reading(kpi: String, at: Date) throws -> MetricReading? {
        try read { db in try Self.reading(kpi: kpi, at: at, in: db) }
    }

    static func reading(kpi: String, at: Date, in db: Database) throws -> MetricReading? {
        try Self.decoded(
            db, sql: "SELECT id, kpi, value, at, author, origin FROM metric WHERE kpi = ? AND at = ?",
            arguments: [kpi, at.timeIntervalSince1970], recorded
        ).first
    }

    static func insert(_ reading: MetricReading, in db: Database) throws {
        try db.cachedStatement(sql: "INSERT INTO metric (kpi, value, at, author, origin) VALUES (?, ?, ?, ?, ?)")
            .execute(arguments: [reading.kpi, reading.value, reading.at.timeIntervalSince1970, reading.author, reading.origin?.rawValue])
    }

    /// Readings of some KPIs in `[start, end)`, oldest first.
    public func readings(kpis: [String], from start: Date, to end: Date) throws -> [MetricReading] {
        try read { db in
            try Self.decoded(
                db, sql: Self.readingsSQL(kpis: kpis.count),
                arguments: StatementArguments(kpis) + [start.timeIntervalSince1970, end.timeIntervalSince1970]
            ) { MetricReading(id: $0[0], kpi: $0[1], value: $0[2], at: Date(timeIntervalSince1970: $0[3])) }
        }
    }

    public func recordedReadings(kpis: [String], from start: Date, to end: Date) throws -> [MetricReading] {
        try read { db in
            try Self.decoded(
                db,
                sql: """
                    SELECT id, kpi, value, at, author, origin FROM metric WHERE kpi IN (\(databaseQuestionMarks(count: kpis.count)))
                      AND at >= ? AND at < ? ORDER BY at, id
                    """,
                arguments: StatementArguments(kpis) + [start.timeIntervalSince1970, end.timeIntervalSince1970], Self.recorded)
        }
    }

    /// A row of `id, kpi, value, at, author, origin`.
    static func recorded(_ row: Row) -> MetricReading {
        MetricReading(
            id: row[0], kpi: row[1], value: row[2], at: Date(timeIntervalSince1970: row[3]), author: row[4],
            origin: (row[5] as String?).flatMap(MetricReading.Origin.init(rawValue:)))
    }

    public func deleteReading(kpi: String, at: Date) throws -> MetricReading? {
        try write { db in
            guard let kept = try Self.reading(kpi: kpi, at: at, in: db) else { return nil }
            try db.execute(sql: "DELETE FROM metric WHERE id = ?", arguments: [kept.id])
            return kept
        }
    }

    /// Reads the index `metric_kpi_at_value` alone (StoreTests checks the plan).
    static func readingsSQL(kpis count: Int) -> String {
        """
        SELECT id, kpi, value, at FROM metric WHERE kpi IN (\(databaseQuestionMarks(count: count)))
          AND at >= ? AND at < ? ORDER BY at, id
        """
    }

    public func metricCount() throws -> Int {
        try read { db in try Int.fetchOne(db, sql: "SELECT count(*) FROM metric") ?? 0 }
    }
}
