import Foundation
import GRDB
import NarrateModel

extension SQLiteStore {
    @discardableResult
    public func add(_ token: AccessToken) throws -> AccessToken {
        try write { db in
            try db.execute(
                sql: "INSERT INTO token (person, scope, hash, created_at, expires_at) VALUES (?, ?, ?, ?, ?)",
                arguments: [token.person, token.scope.rawValue, token.hash, token.createdAt.timeIntervalSince1970,
                            token.expiresAt?.timeIntervalSince1970])
            var stored = token
            stored.id = db.lastInsertedRowID
            return stored
        }
    }

    public func token(hash: String) throws -> AccessToken? {
        try read { db in try Row.fetchOne(db, sql: "SELECT * FROM token WHERE hash = ?", arguments: [hash]).map(Self.token) }
    }

    public func tokens(of person: String?) throws -> [AccessToken] {
        try read { db in
            if let person {
                return try Row.fetchAll(db, sql: "SELECT * FROM token WHERE person = ? ORDER BY id DESC", arguments: [person])
                    .map(Self.token)
            }
            return try Row.fetchAll(db, sql: "SELECT * FROM token ORDER BY id DESC").map(Self.token)
        }
    }

    @discardableResult
    public func revokeTokens(of person: String, id: Int64?, at: Date) throws -> Int {
        try write { db in
            var sql = "UPDATE token SET revoked_at = ? WHERE person = ? AND revoked_at IS NULL"
            var arguments: StatementArguments = [at.timeIntervalSince1970, person]
            if let id {
                sql += " AND id = ?"
                arguments += [id]
            }
            try db.execute(sql: sql, arguments: arguments)
            return db.changesCount
        }
    }

    public func touch(_ id: Int64, at: Date) throws {
        try write { db in
            try db.execute(sql: "UPDATE token SET last_used_at = ? WHERE id = ?", arguments: [at.timeIntervalSince1970, id])
        }
    }

    public func outboxBacklog() throws -> (count: Int, oldest: Date?) {
        try read { db in
            let row = try Row.fetchOne(
                db, sql: "SELECT count(*) AS n, min(created_at) AS oldest FROM delivery WHERE state IN ('pending','sending')")
            let oldest: Double? = row?["oldest"]
            return (row?["n"] ?? 0, oldest.map(Date.init(timeIntervalSince1970:)))
        }
    }

    static func token(_ row: Row) -> AccessToken {
        let expires: Double? = row["expires_at"]
        let revoked: Double? = row["revoked_at"]
        let used: Double? = row["last_used_at"]
        return AccessToken(
            id: row["id"], person: row["person"], scope: AccessToken.Scope(rawValue: row["scope"]) ?? .api, hash: row["hash"],
            createdAt: Date(timeIntervalSince1970: row["created_at"]), expiresAt: expires.map(Date.init(timeIntervalSince1970:)),
            revokedAt: revoked.map(Date.init(timeIntervalSince1970:)), lastUsedAt: used.map(Date.init(timeIntervalSince1970:)))
    }
}
