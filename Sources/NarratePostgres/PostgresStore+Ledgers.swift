import Foundation
import NarrateModel
import NarrateStore
import PostgresNIO

extension PostgresStore {
    // MARK: tokens

    @discardableResult
    public func add(_ token: AccessToken) async throws -> AccessToken {
        let rows = try await rows(
            """
            INSERT INTO token (person, scope, hash, created_at, expires_at)
            VALUES (\(token.person), \(token.scope.rawValue), \(token.hash), \(token.createdAt.timeIntervalSince1970),
                    \(token.expiresAt?.timeIntervalSince1970))
            RETURNING id
            """)
        var stored = token
        stored.id = try rows[0].decode(Int64.self)
        return stored
    }

    static let tokenColumns = "id, person, scope, hash, created_at, expires_at, revoked_at, last_used_at"

    static func token(_ row: PostgresRow) throws -> AccessToken {
        let (id, person, scope, hash, created, expires, revoked, used) = try row.decode(
            (Int64, String, String, String, Double, Double?, Double?, Double?).self)
        return AccessToken(
            id: id, person: person, scope: AccessToken.Scope(rawValue: scope) ?? .api, hash: hash,
            createdAt: Date(timeIntervalSince1970: created), expiresAt: expires.map(Date.init(timeIntervalSince1970:)),
            revokedAt: revoked.map(Date.init(timeIntervalSince1970:)), lastUsedAt: used.map(Date.init(timeIntervalSince1970:)))
    }

    public func token(hash: String) async throws -> AccessToken? {
        try await rows("SELECT \(unescaped: Self.tokenColumns) FROM token WHERE hash = \(hash)").first.map(Self.token)
    }

    public func tokens(of person: String?) async throws -> [AccessToken] {
        try await rows(
            "SELECT \(unescaped: Self.tokenColumns) FROM token WHERE (\(person)::text IS NULL OR person = \(person)) ORDER BY id DESC"
        ).map(Self.token)
    }

    @discardableResult
    public func revokeTokens(of person: String, id: Int64?, at: Date) async throws -> Int {
        try await rows(
            """
            UPDATE token SET revoked_at = \(at.timeIntervalSince1970)
            WHERE person = \(person) AND revoked_at IS NULL AND (\(id)::bigint IS NULL OR id = \(id))
            RETURNING id
            """
        ).count
    }

    public func touch(_ id: Int64, at: Date) async throws {
        try await rows("UPDATE token SET last_used_at = \(at.timeIntervalSince1970) WHERE id = \(id)")
    }

    // MARK: sources and drafts

    public func importEntries(_ items: [SourcedEntry], now: Date) async throws -> [Entry] {
        try await transaction { connection in
            var added: [Entry] = []
            for item in items where try await !Self.knows(item.key, connection, logger) {
                added.append(try await Self.insert(item.entry, key: item.key, now: now, connection, logger))
            }
            return added
        }
    }

    public func knownKeys(_ keys: [String]) async throws -> Set<String> {
        Set(
            try await rows(
                """
                SELECT source_key FROM entry WHERE source_key = ANY(\(keys))
                UNION SELECT source_key FROM draft WHERE source_key = ANY(\(keys))
                """
            ).map { try $0.decode(String.self) })
    }

    public func addDrafts(_ items: [SourcedEntry], now: Date) async throws -> Int {
        try await transaction { connection in
            var added = 0
            for item in items where try await !Self.knows(item.key, connection, logger) {
                let entry = item.entry
                try await connection.rows(
                    """
                    INSERT INTO draft (person, kind, text, stage, at, origin, url, source_key, created_at)
                    VALUES (\(entry.person), \(entry.kind.rawValue), \(entry.text), \(entry.stage?.rawValue),
                            \(entry.at.timeIntervalSince1970), \(entry.origin ?? "source"), \(entry.url), \(item.key),
                            \(now.timeIntervalSince1970))
                    """, logger)
                added += 1
            }
            return added
        }
    }

    static let draftColumns = "id, person, kind, text, stage, at, origin, url, source_key, state, entry"

    static func draft(_ row: PostgresRow) throws -> Draft {
        let (id, person, kind, text, stage, at, origin, url, key, state, confirmed) = try row.decode(
            (Int64, String, String, String, String?, Double, String, String?, String, String, Int64?).self)
        var entry = Entry(
            person: person, kind: Entry.Kind(rawValue: kind) ?? .progress, text: text, stage: stage.flatMap(Entry.Stage.init(rawValue:)),
            at: Date(timeIntervalSince1970: at))
        entry.origin = origin
        entry.url = url
        return Draft(id: id, entry: entry, key: key, state: Draft.State(rawValue: state) ?? .pending, confirmed: confirmed)
    }

    public func drafts(person: String?, state: Draft.State?) async throws -> [Draft] {
        try await rows(
            """
            SELECT \(unescaped: Self.draftColumns) FROM draft
            WHERE (\(person)::text IS NULL OR person = \(person)) AND (\(state?.rawValue)::text IS NULL OR state = \(state?.rawValue))
            ORDER BY at, id
            """
        ).map(Self.draft)
    }

    public func confirmDraft(_ id: Int64, text: String?, now: Date) async throws -> Entry {
        try await transaction { connection in
            let draft = try await Self.pendingDraft(id, connection, logger)
            var entry = draft.entry
            if let text { entry.text = text }
            let stored = try await Self.insert(entry, key: draft.key, now: now, connection, logger)
            try await connection.rows("UPDATE draft SET state = 'confirmed', entry = \(stored.id) WHERE id = \(id)", logger)
            return stored
        }
    }

    public func discardDraft(_ id: Int64, now: Date) async throws -> Draft {
        try await transaction { connection in
            var draft = try await Self.pendingDraft(id, connection, logger)
            try await connection.rows("UPDATE draft SET state = 'discarded' WHERE id = \(id)", logger)
            draft.state = .discarded
            return draft
        }
    }

    static func pendingDraft(_ id: Int64, _ connection: PostgresConnection, _ logger: Logger) async throws -> Draft {
        guard let row = try await connection.rows(
            "SELECT \(unescaped: draftColumns) FROM draft WHERE id = \(id) FOR UPDATE", logger
        ).first else {
            throw NarrateError(.notFound, "no draft S-\(id); `narrate drafts` lists yours")
        }
        let draft = try draft(row)
        guard draft.state == .pending else {
            throw NarrateError(.conflict, "draft S-\(id) is already \(draft.state.rawValue)")
        }
        return draft
    }

    static func knows(_ key: String, _ connection: PostgresConnection, _ logger: Logger) async throws -> Bool {
        try await connection.rows(
            """
            SELECT EXISTS (SELECT 1 FROM entry WHERE source_key = \(key)) OR EXISTS (SELECT 1 FROM draft WHERE source_key = \(key))
            """, logger
        )[0].decode(Bool.self)
    }

    static func insert(_ entry: Entry, key: String, now: Date, _ connection: PostgresConnection, _ logger: Logger) async throws -> Entry {
        let rows = try await connection.rows(
            """
            INSERT INTO entry (person, kind, text, stage, kpi, at, state, closed_at, note, created_at, origin, url, source_key)
            VALUES (\(entry.person), \(entry.kind.rawValue), \(entry.text), \(entry.stage?.rawValue), \(entry.kpi),
                    \(entry.at.timeIntervalSince1970), \(entry.state?.rawValue), \(entry.closedAt?.timeIntervalSince1970),
                    \(entry.note), \(now.timeIntervalSince1970), \(entry.origin), \(entry.url), \(key))
            RETURNING id
            """, logger)
        var stored = entry
        stored.id = try rows[0].decode(Int64.self)
        return stored
    }

    public func recordSourceRun(_ source: String, at: Date, problems: [String]) async throws {
        let text = problems.joined(separator: "\n")
        try await rows(
            """
            INSERT INTO source_run (source, at, problems) VALUES (\(source), \(at.timeIntervalSince1970), \(text))
            ON CONFLICT (source) DO UPDATE SET at = excluded.at, problems = excluded.problems
            """)
    }

    public func sourceRuns() async throws -> [(source: String, at: Date, problems: [String])] {
        try await rows("SELECT source, at, problems FROM source_run ORDER BY source").map { row in
            let (source, at, problems) = try row.decode((String, Double, String).self)
            return (source, Date(timeIntervalSince1970: at), problems.split(separator: "\n").map(String.init))
        }
    }

    // MARK: the HTTP cache and replays

    public func cached(_ url: String) async throws -> (etag: String, body: Data)? {
        try await rows("SELECT etag, body FROM http_cache WHERE url = \(url)").first.map { row in
            let (etag, body) = try row.decode((String, Data).self)
            return (etag, body)
        }
    }

    public func keep(_ url: String, etag: String, body: Data, now: Date) async throws {
        try await rows(
            """
            INSERT INTO http_cache (url, etag, body, stored_at) VALUES (\(url), \(etag), \(body), \(now.timeIntervalSince1970))
            ON CONFLICT (url) DO UPDATE SET etag = excluded.etag, body = excluded.body, stored_at = excluded.stored_at
            """)
    }

    public func firstSight(_ key: String, at: Date, forgettingBefore: Date) async throws -> Bool {
        try await transaction { connection in
            try await connection.rows("DELETE FROM replay WHERE at < \(forgettingBefore.timeIntervalSince1970)", logger)
            return try await connection.rows(
                "INSERT INTO replay (key, at) VALUES (\(key), \(at.timeIntervalSince1970)) ON CONFLICT (key) DO NOTHING RETURNING key",
                logger
            ).count == 1
        }
    }
}
