import Crypto
import Foundation
import GRDB
import NarrateModel
import NarrateStore
import PostgresNIO

/// `narrate store copy`: an SQLite store's rows into an empty PostgreSQL database, ids kept,
/// then both read back and compared table by table (row count and SHA-256 of every row in key
/// order). A database that already holds the same rows is left as it is (a second run is a
/// no-op); one that holds other rows is refused. Nothing is ever copied twice.
public struct StoreCopy: Sendable {
    enum Kind: Sendable { case int, double, text, bool, bytes }

    struct Table: Sendable {
        var name: String
        var key: String
        var columns: [(String, Kind)]
        var names: String { columns.map(\.0).joined(separator: ", ") }
    }

    /// Every table, parents before children (deliveries refer to reports, changes to entries).
    static let tables: [Table] = [
        Table(name: "entry", key: "id", columns: [
            ("id", .int), ("person", .text), ("kind", .text), ("text", .text), ("stage", .text), ("kpi", .text), ("at", .double),
            ("state", .text), ("closed_at", .double), ("note", .text), ("created_at", .double), ("deleted_at", .double),
            ("origin", .text), ("url", .text), ("source_key", .text),
        ]),
        Table(name: "entry_change", key: "id", columns: [
            ("id", .int), ("entry", .int), ("person", .text), ("action", .text), ("old_text", .text), ("at", .double), ("undone", .bool),
        ]),
        Table(name: "mood", key: "id", columns: [("id", .int), ("person", .text), ("mood", .int), ("load", .int), ("at", .double)]),
        Table(name: "away", key: "id", columns: [("id", .int), ("person", .text), ("from_day", .text), ("to_day", .text)]),
        Table(name: "metric", key: "id", columns: [
            ("id", .int), ("kpi", .text), ("value", .double), ("at", .double), ("author", .text), ("origin", .text),
        ]),
        Table(name: "run", key: "id", columns: [
            ("id", .int), ("schedule", .text), ("team", .text), ("slot", .double), ("state", .text), ("at", .double), ("detail", .text),
            ("manual", .bool),
        ]),
        Table(name: "report", key: "id", columns: [
            ("id", .int), ("team", .text), ("schedule", .text), ("period_start", .double), ("period_end", .double), ("markdown", .text),
            ("created_at", .double), ("kind", .text), ("person", .text),
        ]),
        Table(name: "delivery", key: "id", columns: [
            ("id", .int), ("report", .int), ("target", .text), ("kind", .text), ("part", .int), ("parts", .int), ("body", .text),
            ("state", .text), ("attempts", .int), ("attempts_base", .int), ("next_attempt_at", .double), ("last_error", .text),
            ("sent_at", .double), ("receipt", .text), ("route", .text), ("claimed_at", .double), ("created_at", .double),
        ]),
        Table(name: "token", key: "id", columns: [
            ("id", .int), ("person", .text), ("scope", .text), ("hash", .text), ("created_at", .double), ("expires_at", .double),
            ("revoked_at", .double), ("last_used_at", .double),
        ]),
        Table(name: "notice", key: "key", columns: [
            ("key", .text), ("person", .text), ("kind", .text), ("reports", .text), ("detail", .text), ("created_at", .double),
        ]),
        Table(name: "draft", key: "id", columns: [
            ("id", .int), ("person", .text), ("kind", .text), ("text", .text), ("stage", .text), ("at", .double), ("origin", .text),
            ("url", .text), ("source_key", .text), ("state", .text), ("entry", .int), ("created_at", .double),
        ]),
        Table(name: "source_run", key: "source", columns: [("source", .text), ("at", .double), ("problems", .text)]),
        Table(name: "http_cache", key: "url", columns: [("url", .text), ("etag", .text), ("body", .bytes), ("stored_at", .double)]),
        Table(name: "replay", key: "key", columns: [("key", .text), ("at", .double)]),
    ]

    /// One table's rows on each side.
    public struct Check: Sendable, Equatable {
        public var table: String
        public var rows: Int
        public var checksum: String
    }

    public enum Outcome: Sendable, Equatable {
        /// Copied; every table read back equal.
        case copied([Check])
        /// The database already held exactly these rows: nothing was written.
        case alreadyCopied([Check])
    }

    let source: SQLiteStore
    let destination: PostgresStore

    public init(from source: SQLiteStore, to destination: PostgresStore) {
        self.source = source
        self.destination = destination
    }

    public func run() async throws -> Outcome {
        try await destination.migrate()
        let expected = try Self.tables.map(sourceCheck)
        let present = try await destinationRows()
        if present > 0 {
            let found = try await destinationChecks()
            guard found == expected else {
                let differing = zip(expected, found).filter { $0 != $1 }.map(\.0.table)
                throw NarrateError(
                    .conflict,
                    "the database \(destination.settings.displayURL) already holds \(present) narrate rows that differ from the store (\(differing.joined(separator: ", "))); copy only into a new database. Nothing was written.")
            }
            return .alreadyCopied(expected)
        }
        try await destination.transaction { connection in
            for table in Self.tables {
                try await copy(table, connection)
            }
        }
        let found = try await destinationChecks()
        guard found == expected else {
            let differing = zip(expected, found).filter { $0 != $1 }.map { "\($0.0.table): \($0.0.rows) rows in the store, \($0.1.rows) copied" }
            throw NarrateError(.unavailable, "the copy does not match the store: \(differing.joined(separator: "; "))")
        }
        return .copied(found)
    }

    /// Rows of every table in the database.
    func destinationRows() async throws -> Int {
        var total = 0
        for table in Self.tables {
            total += try await destination.rows("SELECT count(*) FROM \(unescaped: table.name)")[0].decode(Int.self)
        }
        return total
    }

    // MARK: copying

    func copy(_ table: Table, _ connection: PostgresConnection) async throws {
        // Rows in batches: at most 65,535 parameters a statement.
        let batch = max(1, 8_000 / table.columns.count)
        var pending: [[DatabaseValue]] = []
        try source.read { db in
            let cursor = try Row.fetchCursor(db, sql: "SELECT \(table.names) FROM \(table.name) ORDER BY \(table.key)")
            while let row = try cursor.next() { pending.append(row.databaseValues.map { $0 }) }
        }
        var start = 0
        while start < pending.count {
            let rows = pending[start..<min(start + batch, pending.count)]
            var bindings = PostgresBindings(capacity: rows.count * table.columns.count)
            var values: [String] = []
            for row in rows {
                var marks: [String] = []
                for (value, (_, kind)) in zip(row, table.columns) {
                    try Self.bind(value, kind, into: &bindings)
                    marks.append("$\(bindings.count)")
                }
                values.append("(" + marks.joined(separator: ", ") + ")")
            }
            try await connection.rows(
                PostgresQuery(
                    unsafeSQL: "INSERT INTO \(table.name) (\(table.names)) VALUES \(values.joined(separator: ", "))", binds: bindings),
                destination.logger)
            start += batch
        }
        if table.key == "id" {
            // The next id continues after the copied ones.
            try await connection.rows(
                PostgresQuery(
                    unsafeSQL: "SELECT setval(pg_get_serial_sequence('\(table.name)', 'id'), coalesce(max(id), 1), max(id) IS NOT NULL) FROM \(table.name)"),
                destination.logger)
        }
    }

    static func bind(_ value: DatabaseValue, _ kind: Kind, into bindings: inout PostgresBindings) throws {
        if value.isNull {
            bindings.appendNull()
            return
        }
        switch kind {
        case .int: try bindings.append(Int64.fromDatabaseValue(value).orThrow(kind))
        case .double: try bindings.append(Double.fromDatabaseValue(value).orThrow(kind))
        case .text: try bindings.append(String.fromDatabaseValue(value).orThrow(kind))
        case .bool: try bindings.append(Int64.fromDatabaseValue(value).orThrow(kind) != 0)
        case .bytes: try bindings.append(Data.fromDatabaseValue(value).orThrow(kind))
        }
    }

    // MARK: checking

    func sourceCheck(_ table: Table) throws -> Check {
        try source.read { db in
            var hash = SHA256()
            var count = 0
            let cursor = try Row.fetchCursor(db, sql: "SELECT \(table.names) FROM \(table.name) ORDER BY \(table.key)")
            while let row = try cursor.next() {
                var line: [String] = []
                for (value, (_, kind)) in zip(row.databaseValues, table.columns) {
                    line.append(value.isNull ? "∅" : Self.text(of: value, kind))
                }
                hash.update(data: Data((line.joined(separator: "\u{1F}") + "\u{1E}").utf8))
                count += 1
            }
            return Check(table: table.name, rows: count, checksum: hash.finalize().map { String(format: "%02x", $0) }.joined())
        }
    }

    func destinationChecks() async throws -> [Check] {
        var checks: [Check] = []
        for table in Self.tables {
            var hash = SHA256()
            var count = 0
            let rows = try await destination.rows(
                PostgresQuery(unsafeSQL: "SELECT \(table.names) FROM \(table.name) ORDER BY \(table.key)"))
            for row in rows {
                var line: [String] = []
                for (cell, (_, kind)) in zip(row, table.columns) {
                    line.append(try Self.text(of: cell, kind))
                }
                hash.update(data: Data((line.joined(separator: "\u{1F}") + "\u{1E}").utf8))
                count += 1
            }
            checks.append(Check(table: table.name, rows: count, checksum: hash.finalize().map { String(format: "%02x", $0) }.joined()))
        }
        return checks
    }

    /// One value as the checksum reads it, the same on both sides.
    static func text(of value: DatabaseValue, _ kind: Kind) -> String {
        switch kind {
        case .int: return Int64.fromDatabaseValue(value).map { "\($0)" } ?? "?"
        case .double: return Double.fromDatabaseValue(value).map { "\($0.bitPattern)" } ?? "?"
        case .text: return String.fromDatabaseValue(value) ?? "?"
        case .bool: return Int64.fromDatabaseValue(value).map { $0 != 0 ? "1" : "0" } ?? "?"
        case .bytes: return Data.fromDatabaseValue(value).map { $0.base64EncodedString() } ?? "?"
        }
    }

    static func text(of cell: PostgresCell, _ kind: Kind) throws -> String {
        if cell.bytes == nil { return "∅" }
        switch kind {
        case .int: return "\(try cell.decode(Int64.self))"
        case .double: return "\(try cell.decode(Double.self).bitPattern)"
        case .text: return try cell.decode(String.self)
        case .bool: return try cell.decode(Bool.self) ? "1" : "0"
        case .bytes: return try cell.decode(Data.self).base64EncodedString()
        }
    }
}

extension Optional {
    fileprivate func orThrow(_ kind: StoreCopy.Kind) throws -> Wrapped {
        guard let self else { throw NarrateError(.unavailable, "a value in the store is not of its column's type (\(kind))") }
        return self
    }
}
