import Foundation
import GRDB
import NarrateModel

extension SQLiteStore {
    public func claim(_ notice: NoticeRecord, queueing messages: [QueuedReport], now: Date) throws -> Bool {
        try write { db in
            try db.execute(
                sql: "INSERT OR IGNORE INTO notice (key, person, kind, detail, created_at) VALUES (?, ?, ?, ?, ?)",
                arguments: [notice.key, notice.person, notice.kind.rawValue, notice.detail, now.timeIntervalSince1970])
            guard db.changesCount == 1 else { return false }
            let queued = try messages.map { try Self.enqueue($0.record, parts: $0.parts, now: now, in: db) }
            if !queued.isEmpty {
                try db.execute(
                    sql: "UPDATE notice SET reports = ? WHERE key = ?",
                    arguments: [queued.map { "\($0.0.id)" }.joined(separator: ","), notice.key])
            }
            return true
        }
    }

    public func notices(kind: NoticeRecord.Kind?) throws -> [NoticeRecord] {
        try read { db in
            var sql = "SELECT * FROM notice"
            var arguments: StatementArguments = []
            if let kind {
                sql += " WHERE kind = ?"
                arguments += [kind.rawValue]
            }
            return try Row.fetchAll(db, sql: sql + " ORDER BY created_at, key", arguments: arguments).map { row in
                let reports: String? = row["reports"]
                return NoticeRecord(
                    key: row["key"], person: row["person"], kind: NoticeRecord.Kind(rawValue: row["kind"]) ?? .reminder,
                    detail: row["detail"] ?? "", createdAt: Date(timeIntervalSince1970: row["created_at"]),
                    reports: (reports ?? "").split(separator: ",").compactMap { Int64($0) })
            }
        }
    }

    public func recordedNotices(_ keys: [String]) throws -> Set<String> {
        try read { db in
            var recorded: Set<String> = []
            // In chunks: SQLite limits the number of parameters of one statement.
            for start in stride(from: 0, to: keys.count, by: 500) {
                let chunk = Array(keys[start..<min(start + 500, keys.count)])
                recorded.formUnion(try String.fetchAll(
                    db, sql: "SELECT key FROM notice WHERE key IN (\(databaseQuestionMarks(count: chunk.count)))",
                    arguments: StatementArguments(chunk)))
            }
            return recorded
        }
    }

    public func lastRoute(target: String, startingWith prefix: String) throws -> String? {
        try read { db in
            try String.fetchOne(
                db,
                sql: "SELECT route FROM delivery WHERE target = ? AND route LIKE ? ESCAPE '\\' AND state = 'sent' ORDER BY id DESC LIMIT 1",
                arguments: [target, prefix.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "%", with: "\\%")
                    .replacingOccurrences(of: "_", with: "\\_") + "%"])
        }
    }
}
