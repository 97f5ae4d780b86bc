import Foundation
import GRDB
import NarrateModel

extension SQLiteStore {
    public func importEntries(_ items: [SourcedEntry], now: Date) throws -> [Entry] {
        try write { db in
            var added: [Entry] = []
            for item in items where try !Self.knows(item.key, in: db) {
                added.append(try Self.insert(item.entry, key: item.key, now: now, in: db))
            }
            return added
        }
    }

    public func knownKeys(_ keys: [String]) throws -> Set<String> {
        try read { db in Set(try keys.filter { try Self.knows($0, in: db) }) }
    }

    public func addDrafts(_ items: [SourcedEntry], now: Date) throws -> Int {
        try write { db in
            var added = 0
            for item in items where try !Self.knows(item.key, in: db) {
                let entry = item.entry
                try db.execute(
                    sql: """
                        INSERT INTO draft (person, kind, text, stage, at, origin, url, source_key, created_at)
                        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
                        """,
                    arguments: [
                        entry.person, entry.kind.rawValue, entry.text, entry.stage?.rawValue, entry.at.timeIntervalSince1970,
                        entry.origin ?? "source", entry.url, item.key, now.timeIntervalSince1970,
                    ])
                added += 1
            }
            return added
        }
    }

    public func drafts(person: String?, state: Draft.State?) throws -> [Draft] {
        try read { db in
            var clauses: [String] = []
            var arguments: StatementArguments = []
            if let person {
                clauses.append("person = ?")
                arguments += [person]
            }
            if let state {
                clauses.append("state = ?")
                arguments += [state.rawValue]
            }
            let filter = clauses.isEmpty ? "" : " WHERE " + clauses.joined(separator: " AND ")
            return try Row.fetchAll(db, sql: "SELECT * FROM draft\(filter) ORDER BY at, id", arguments: arguments).map(Self.draft)
        }
    }

    public func confirmDraft(_ id: Int64, text: String?, now: Date) throws -> Entry {
        try write { db in
            let draft = try Self.pendingDraft(id, in: db)
            var entry = draft.entry
            if let text { entry.text = text }
            let stored = try Self.insert(entry, key: draft.key, now: now, in: db)
            try db.execute(sql: "UPDATE draft SET state = 'confirmed', entry = ? WHERE id = ?", arguments: [stored.id, id])
            return stored
        }
    }

    public func discardDraft(_ id: Int64, now: Date) throws -> Draft {
        try write { db in
            var draft = try Self.pendingDraft(id, in: db)
            try db.execute(sql: "UPDATE draft SET state = 'discarded' WHERE id = ?", arguments: [id])
            draft.state = .discarded
            return draft
        }
    }

    static func pendingDraft(_ id: Int64, in db: Database) throws -> Draft {
        guard let draft = try Row.fetchOne(db, sql: "SELECT * FROM draft WHERE id = ?", arguments: [id]).map(draft) else {
            throw NarrateError(.notFound, "no draft S-\(id); `narrate drafts` lists yours")
        }
        guard draft.state == .pending else {
            throw NarrateError(.conflict, "draft S-\(id) is already \(draft.state.rawValue)")
        }
        return draft
    }

    static func knows(_ key: String, in db: Database) throws -> Bool {
        try Bool.fetchOne(
            db, sql: "SELECT EXISTS (SELECT 1 FROM entry WHERE source_key = ?) OR EXISTS (SELECT 1 FROM draft WHERE source_key = ?)",
            arguments: [key, key]) ?? false
    }

    static func insert(_ entry: Entry, key: String, now: Date, in db: Database) throws -> Entry {
        try db.execute(
            sql: """
                INSERT INTO entry (person, kind, text, stage, kpi, at, state, closed_at, note, created_at, origin, url, source_key)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """,
            arguments: [
                entry.person, entry.kind.rawValue, entry.text, entry.stage?.rawValue, entry.kpi, entry.at.timeIntervalSince1970,
                entry.state?.rawValue, entry.closedAt?.timeIntervalSince1970, entry.note, now.timeIntervalSince1970, entry.origin,
                entry.url, key,
            ])
        var stored = entry
        stored.id = db.lastInsertedRowID
        return stored
    }

    static func draft(_ row: Row) -> Draft {
        var entry = Entry(
            person: row["person"], kind: Entry.Kind(rawValue: row["kind"]) ?? .progress, text: row["text"],
            stage: (row["stage"] as String?).flatMap(Entry.Stage.init(rawValue:)), at: Date(timeIntervalSince1970: row["at"]))
        entry.origin = row["origin"]
        entry.url = row["url"]
        return Draft(
            id: row["id"], entry: entry, key: row["source_key"], state: Draft.State(rawValue: row["state"]) ?? .pending,
            confirmed: row["entry"])
    }
}

extension SQLiteStore {
    public func cached(_ url: String) throws -> (etag: String, body: Data)? {
        try read { db in
            try Row.fetchOne(db, sql: "SELECT etag, body FROM http_cache WHERE url = ?", arguments: [url]).map { ($0["etag"], $0["body"]) }
        }
    }

    public func keep(_ url: String, etag: String, body: Data, now: Date) throws {
        try write { db in
            try db.execute(
                sql: "INSERT OR REPLACE INTO http_cache (url, etag, body, stored_at) VALUES (?, ?, ?, ?)",
                arguments: [url, etag, body, now.timeIntervalSince1970])
        }
    }
}

extension SQLiteStore {
    public func recordSourceRun(_ source: String, at: Date, problems: [String]) throws {
        try write { db in
            try db.execute(
                sql: "INSERT OR REPLACE INTO source_run (source, at, problems) VALUES (?, ?, ?)",
                arguments: [source, at.timeIntervalSince1970, problems.joined(separator: "\n")])
        }
    }

    public func sourceRuns() throws -> [(source: String, at: Date, problems: [String])] {
        try read { db in
            try Row.fetchAll(db, sql: "SELECT * FROM source_run ORDER BY source").map { row in
                let problems: String = row["problems"]
                return (row["source"], Date(timeIntervalSince1970: row["at"]), problems.split(separator: "\n").map(String.init))
            }
        }
    }
}
