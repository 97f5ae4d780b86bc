import Foundation
import NarrateModel
import GRDB

extension SQLiteStore {
    /// Records an entry and returns it with its id.
    @discardableResult
    public func add(_ entry: Entry, now: Date) throws -> Entry {
        try write { db in
            try db.execute(
                sql: """
                    INSERT INTO entry (person, kind, text, stage, kpi, at, state, closed_at, note, created_at)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                    """,
                arguments: [
                    entry.person, entry.kind.rawValue, entry.text, entry.stage?.rawValue, entry.kpi,
                    entry.at.timeIntervalSince1970, entry.state?.rawValue, entry.closedAt?.timeIntervalSince1970,
                    entry.note, now.timeIntervalSince1970,
                ])
            var stored = entry
            stored.id = db.lastInsertedRowID
            return stored
        }
    }

    public func entry(_ id: Int64) throws -> Entry? {
        try read { db in try Row.fetchOne(db, sql: "SELECT \(Self.entryColumns) FROM entry WHERE id = ? AND deleted_at IS NULL", arguments: [id]).map(Self.entry) }
    }

    /// Closes an open blocker or next action; the check and the update are one transaction.
    @discardableResult
    public func close(_ id: Int64, as state: Entry.State, note: String? = nil, at: Date) throws -> Entry {
        try write { db in
            guard let row = try Row.fetchOne(db, sql: "SELECT \(Self.entryColumns) FROM entry WHERE id = ? AND deleted_at IS NULL", arguments: [id])
            else {
                throw NarrateError(.notFound, "no entry \(id)")
            }
            var entry = Self.entry(row)
            guard entry.state == .open else { throw EntryClosed(entry: entry) }
            entry.state = state
            entry.closedAt = at
            entry.note = note
            try db.execute(
                sql: "UPDATE entry SET state = ?, closed_at = ?, note = ? WHERE id = ?",
                arguments: [state.rawValue, at.timeIntervalSince1970, note, entry.id])
            return entry
        }
    }

    /// Entries whose time falls in `[start, end)`, oldest first, optionally for some people only.
    public func entries(from start: Date, to end: Date, persons: [String]?) throws -> [Entry] {
        try read { db in
            var sql = "SELECT \(Self.entryColumns) FROM entry WHERE at >= ? AND at < ? AND deleted_at IS NULL"
            var arguments: StatementArguments = [start.timeIntervalSince1970, end.timeIntervalSince1970]
            if let persons {
                sql += " AND person IN (\(databaseQuestionMarks(count: persons.count)))"
                arguments += StatementArguments(persons)
            }
            sql += " ORDER BY at, id"
            return try Self.decoded(db, sql: sql, arguments: arguments, Self.entry)
        }
    }

    /// Blockers and next actions that are open now, or were open at some point of `[start, end)`.
    ///
    /// Two index range scans on `(person, kind, closed_at)` — the still-open items and those
    /// closed since `start` — so the cost follows what is read, not the length of the history.
    public func followedEntries(openDuring start: Date, _ end: Date, persons: [String]) throws -> [Entry] {
        try read { db in
            let people = databaseQuestionMarks(count: persons.count)
            let entries = try Self.decoded(
                db,
                sql: """
                    SELECT \(Self.entryColumns) FROM entry INDEXED BY entry_followed
                    WHERE person IN (\(people)) AND kind IN ('blocker','next') AND closed_at IS NULL
                      AND at < ? AND deleted_at IS NULL
                    UNION ALL
                    SELECT \(Self.entryColumns) FROM entry INDEXED BY entry_followed
                    WHERE person IN (\(people)) AND kind IN ('blocker','next') AND closed_at >= ?
                      AND at < ? AND deleted_at IS NULL
                    """,
                arguments: StatementArguments(persons) + [end.timeIntervalSince1970] + StatementArguments(persons)
                    + [start.timeIntervalSince1970, end.timeIntervalSince1970],
                Self.entry)
            return entries.sorted { ($0.at, $0.id) < ($1.at, $1.id) }
        }
    }

    /// The columns ``entry(_:)`` reads, by position: a name lookup per column per row cost more
    /// than the query.
    static let entryColumns = "id, person, kind, text, stage, kpi, at, state, closed_at, note, origin, url"

    /// The rows a query selects, each decoded by `decode` by column position, straight from
    /// SQLite's statement: `Row.fetchAll` copies every row into `DatabaseValue`s first, and
    /// decoding those went through generic metadata lookups (a fifth of a 50-team dry run's
    /// reading). The statement is kept by the connection: every team of a cycle, and every
    /// target's courier, asks the same query, and compiling it each time was a fifth of the
    /// reading again.
    static func decoded<Value>(
        _ db: Database, sql: String, arguments: StatementArguments, _ decode: @escaping (Row) -> Value
    ) throws -> [Value] {
        try Array(Row.fetchCursor(db.cachedStatement(sql: sql), arguments: arguments).map(decode))
    }

    static func entry(_ row: Row) -> Entry {
        var entry = Entry(
            id: row[0], person: row[1], kind: Entry.Kind(rawValue: row[2]) ?? .progress,
            text: row[3], stage: (row[4] as String?).flatMap(Entry.Stage.init(rawValue:)),
            kpi: row[5], at: Date(timeIntervalSince1970: row[6]),
            state: (row[7] as String?).flatMap(Entry.State.init(rawValue:)),
            closedAt: (row[8] as Double?).map(Date.init(timeIntervalSince1970:)), note: row[9])
        entry.origin = row[10]
        entry.url = row[11]
        return entry
    }
}

extension SQLiteStore {
    public func edit(_ id: Int64, text: String, by person: String, at: Date) throws -> Entry {
        try write { db in
            var entry = try Self.existing(id, in: db)
            try db.execute(
                sql: "INSERT INTO entry_change (entry, person, action, old_text, at) VALUES (?, ?, 'edit', ?, ?)",
                arguments: [id, person, entry.text, at.timeIntervalSince1970])
            try db.execute(sql: "UPDATE entry SET text = ? WHERE id = ?", arguments: [text, id])
            entry.text = text
            return entry
        }
    }

    public func delete(_ id: Int64, by person: String, at: Date) throws -> Entry {
        try write { db in
            let entry = try Self.existing(id, in: db)
            try db.execute(
                sql: "INSERT INTO entry_change (entry, person, action, old_text, at) VALUES (?, ?, 'delete', ?, ?)",
                arguments: [id, person, entry.text, at.timeIntervalSince1970])
            try db.execute(sql: "UPDATE entry SET deleted_at = ? WHERE id = ?", arguments: [at.timeIntervalSince1970, id])
            return entry
        }
    }

    public func undo(by person: String) throws -> (Entry, EntryChange) {
        try write { db in
            guard let row = try Row.fetchOne(
                db, sql: "SELECT * FROM entry_change WHERE person = ? AND undone = 0 ORDER BY id DESC LIMIT 1", arguments: [person])
            else {
                throw NarrateError(.notFound, "nothing to undo: \(person) has no edit or delete left to take back")
            }
            let change = EntryChange(
                entry: row["entry"], action: EntryChange.Action(rawValue: row["action"]) ?? .edit, oldText: row["old_text"],
                at: Date(timeIntervalSince1970: row["at"]))
            switch change.action {
            case .edit:
                try db.execute(sql: "UPDATE entry SET text = ? WHERE id = ?", arguments: [change.oldText, change.entry])
            case .delete:
                try db.execute(sql: "UPDATE entry SET deleted_at = NULL WHERE id = ?", arguments: [change.entry])
            }
            try db.execute(sql: "UPDATE entry_change SET undone = 1 WHERE id = ?", arguments: [row["id"] as Int64])
            let entry = try Self.existing(change.entry, in: db)
            return (entry, change)
        }
    }

    /// An entry that exists and is not deleted, or a not-found error.
    static func existing(_ id: Int64, in db: Database) throws -> Entry {
        guard let row = try Row.fetchOne(db, sql: "SELECT \(Self.entryColumns) FROM entry WHERE id = ? AND deleted_at IS NULL", arguments: [id]) else {
            throw NarrateError(.notFound, "no entry \(id)")
        }
        return entry(row)
    }

    public func entryCount() throws -> Int {
        try read { db in try Int.fetchOne(db, sql: "SELECT count(*) FROM entry WHERE deleted_at IS NULL") ?? 0 }
    }
}
