import Foundation
import NarrateCore
import GRDB

extension SQLiteStore {
    @discardableResult
    public func record(_ readings: [MetricReading]) throws -> Int {
        try write { db in
            var replaced = 0
            for reading in readings {
                try db.execute(
                    sql: "DELETE FROM metric WHERE kpi = ? AND at = ?",
                    arguments: [reading.kpi, reading.at.timeIntervalSince1970])
                replaced += db.changesCount
                try db.execute(
                    sql: "INSERT INTO metric (kpi, value, at) VALUES (?, ?, ?)",
                    arguments: [reading.kpi, reading.value, reading.at.timeIntervalSince1970])
            }
            return replaced
        }
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

    public func readingRanges(kpis: [String]?, from start: Date, to end: Date) throws -> [String: (low: Double, high: Double, count: Int)] {
        try read { db in
            // Every KPI with readings, one index seek each (a loose index scan): `check` asks for
            // them before the config says which KPIs it has.
            let kpis = try kpis ?? String.fetchAll(db, sql: Self.kpisWithReadingsSQL)
            var ranges: [String: (low: Double, high: Double, count: Int)] = [:]
            for row in try Row.fetchAll(
                db,
                sql: Self.readingRangesSQL(kpis: kpis.count),
                arguments: StatementArguments(kpis) + [start.timeIntervalSince1970, end.timeIntervalSince1970])
            {
                ranges[row["kpi"]] = (row["low"], row["high"], row["n"])
            }
            return ranges
        }
    }

    /// Both read the index `metric_kpi_at_value` alone (StoreTests checks the plans).
    static func readingsSQL(kpis count: Int) -> String {
        """
        SELECT id, kpi, value, at FROM metric WHERE kpi IN (\(databaseQuestionMarks(count: count)))
          AND at >= ? AND at < ? ORDER BY at, id
        """
    }

    /// The distinct KPIs of `metric`, each found by a seek past the previous one in the index.
    static let kpisWithReadingsSQL = """
        WITH RECURSIVE k(kpi) AS (
          SELECT min(kpi) FROM metric
          UNION ALL SELECT (SELECT min(kpi) FROM metric WHERE kpi > k.kpi) FROM k WHERE k.kpi IS NOT NULL
        )
        SELECT kpi FROM k WHERE kpi IS NOT NULL
        """

    static func readingRangesSQL(kpis count: Int) -> String {
        """
        SELECT kpi, min(value) AS low, max(value) AS high, count(*) AS n FROM metric
        WHERE kpi IN (\(databaseQuestionMarks(count: count))) AND at >= ? AND at < ? GROUP BY kpi
        """
    }

    public func metricCount() throws -> Int {
        try read { db in try Int.fetchOne(db, sql: "SELECT count(*) FROM metric") ?? 0 }
    }
}
