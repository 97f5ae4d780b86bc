import Foundation
import NarrateModel
import PostgresNIO

extension PostgresStore {
    /// Versioned schema, applied in order. Never edit a migration that was released; add one.
    /// Times are seconds since 1970 (`double precision`), as in the SQLite store, so a store
    /// copied from one to the other compares equal value for value.
    static let migrations: [(id: String, sql: [String])] = [
        (
            "pg1-schema",
            [
                """
                CREATE TABLE entry (
                    id bigserial PRIMARY KEY,
                    person text NOT NULL,
                    kind text NOT NULL CHECK (kind IN ('progress','blocker','next','learned','win','helped','ask','decision')),
                    text text NOT NULL,
                    stage text CHECK (stage IN ('front','middle','back')),
                    kpi text,
                    at double precision NOT NULL,
                    state text CHECK (state IN ('open','resolved','done','dropped')),
                    closed_at double precision,
                    note text,
                    created_at double precision NOT NULL,
                    deleted_at double precision,
                    origin text,
                    url text,
                    source_key text
                )
                """,
                "CREATE INDEX entry_at ON entry (at)",
                "CREATE INDEX entry_person_at ON entry (person, at)",
                "CREATE INDEX entry_followed ON entry (person, kind, closed_at)",
                "CREATE UNIQUE INDEX entry_source_key ON entry (source_key) WHERE source_key IS NOT NULL",
                """
                CREATE TABLE entry_change (
                    id bigserial PRIMARY KEY,
                    entry bigint NOT NULL REFERENCES entry (id),
                    person text NOT NULL,
                    action text NOT NULL CHECK (action IN ('edit','delete')),
                    old_text text NOT NULL,
                    at double precision NOT NULL,
                    undone boolean NOT NULL DEFAULT false
                )
                """,
                "CREATE INDEX entry_change_person ON entry_change (person, id)",
                """
                CREATE TABLE mood (
                    id bigserial PRIMARY KEY,
                    person text NOT NULL,
                    mood bigint NOT NULL CHECK (mood BETWEEN 1 AND 5),
                    load bigint CHECK (load BETWEEN 1 AND 5),
                    at double precision NOT NULL
                )
                """,
                "CREATE INDEX mood_person_at ON mood (person, at)",
                "CREATE INDEX mood_at ON mood (at)",
                """
                CREATE TABLE away (
                    id bigserial PRIMARY KEY,
                    person text NOT NULL,
                    from_day text NOT NULL,
                    to_day text NOT NULL
                )
                """,
                """
                CREATE TABLE metric (
                    id bigserial PRIMARY KEY,
                    kpi text NOT NULL,
                    value double precision NOT NULL,
                    at double precision NOT NULL,
                    author text,
                    origin text
                )
                """,
                "CREATE INDEX metric_kpi_at ON metric (kpi, at) INCLUDE (value)",
                """
                CREATE TABLE run (
                    id bigserial PRIMARY KEY,
                    schedule text NOT NULL,
                    team text NOT NULL,
                    slot double precision NOT NULL,
                    state text NOT NULL,
                    at double precision NOT NULL,
                    detail text,
                    manual boolean NOT NULL DEFAULT false,
                    UNIQUE (schedule, slot)
                )
                """,
                """
                CREATE TABLE report (
                    id bigserial PRIMARY KEY,
                    team text NOT NULL,
                    schedule text,
                    period_start double precision NOT NULL,
                    period_end double precision NOT NULL,
                    markdown text NOT NULL,
                    created_at double precision NOT NULL,
                    kind text NOT NULL DEFAULT 'report',
                    person text
                )
                """,
                "CREATE INDEX report_team ON report (team, id)",
                "CREATE INDEX report_kind ON report (kind, team, id)",
                """
                CREATE TABLE delivery (
                    id bigserial PRIMARY KEY,
                    report bigint NOT NULL REFERENCES report (id),
                    target text NOT NULL,
                    kind text NOT NULL,
                    part bigint NOT NULL,
                    parts bigint NOT NULL,
                    body text NOT NULL,
                    state text NOT NULL CHECK (state IN ('pending','sending','sent','parked')),
                    attempts bigint NOT NULL DEFAULT 0,
                    attempts_base bigint NOT NULL DEFAULT 0,
                    next_attempt_at double precision NOT NULL,
                    last_error text,
                    sent_at double precision,
                    receipt text,
                    route text,
                    claimed_at double precision,
                    created_at double precision NOT NULL,
                    UNIQUE (report, target, part)
                )
                """,
                "CREATE INDEX delivery_state ON delivery (state, next_attempt_at)",
                "CREATE INDEX delivery_target_state ON delivery (target, state)",
                """
                CREATE TABLE token (
                    id bigserial PRIMARY KEY,
                    person text NOT NULL,
                    scope text NOT NULL CHECK (scope IN ('link','api')),
                    hash text NOT NULL UNIQUE,
                    created_at double precision NOT NULL,
                    expires_at double precision,
                    revoked_at double precision,
                    last_used_at double precision
                )
                """,
                "CREATE INDEX token_person ON token (person, id)",
                """
                CREATE TABLE notice (
                    key text PRIMARY KEY,
                    person text NOT NULL,
                    kind text NOT NULL,
                    reports text,
                    detail text,
                    created_at double precision NOT NULL
                )
                """,
                """
                CREATE TABLE draft (
                    id bigserial PRIMARY KEY,
                    person text NOT NULL,
                    kind text NOT NULL,
                    text text NOT NULL,
                    stage text,
                    at double precision NOT NULL,
                    origin text NOT NULL,
                    url text,
                    source_key text NOT NULL UNIQUE,
                    state text NOT NULL DEFAULT 'pending' CHECK (state IN ('pending','confirmed','discarded')),
                    entry bigint,
                    created_at double precision NOT NULL
                )
                """,
                "CREATE INDEX draft_person ON draft (person, state, at)",
                "CREATE TABLE source_run (source text PRIMARY KEY, at double precision NOT NULL, problems text NOT NULL)",
                """
                CREATE TABLE http_cache (
                    url text PRIMARY KEY, etag text NOT NULL, body bytea NOT NULL, stored_at double precision NOT NULL
                )
                """,
                "CREATE TABLE replay (key text PRIMARY KEY, at double precision NOT NULL)",
                "CREATE INDEX replay_at ON replay (at)",
            ]
        ),
    ]

    /// The lock two instances upgrading at once take in turn (`pg_advisory_xact_lock`): the
    /// second finds the schema already upgraded.
    static let migrationLock: Int64 = 0x6E61_7272_6174_6501

    /// What the database holds compared with what this build knows.
    public enum SchemaState: Sendable, Equatable {
        case current
        /// No narrate schema: a new database.
        case empty
        /// Migrations this build would apply to an older schema.
        case behind([String])
        /// Migrations this build does not know: a newer narrate wrote them.
        case ahead([String])
    }

    public func schemaState() async throws -> SchemaState {
        let applied = try await Self.wrap { try await connections.withConnection { try await appliedMigrations($0) } }
        return Self.compare(applied: applied)
    }

    static func compare(applied: [String]) -> SchemaState {
        let known = migrations.map(\.id)
        if applied.isEmpty { return .empty }
        let unknown = applied.filter { !known.contains($0) }
        if !unknown.isEmpty { return .ahead(unknown) }
        let missing = known.filter { !applied.contains($0) }
        return missing.isEmpty ? .current : .behind(missing)
    }

    /// The applied migrations, in order; none when the database has no narrate schema.
    func appliedMigrations(_ connection: PostgresConnection) async throws -> [String] {
        let exists = try await connection.rows("SELECT to_regclass('narrate_migration') IS NOT NULL", logger)
        guard try exists.first?.decode(Bool.self) == true else { return [] }
        return try await connection.rows("SELECT id FROM narrate_migration ORDER BY applied_at, id", logger).map { try $0.decode(String.self) }
    }

    /// Creates or upgrades the schema in one transaction, under an advisory lock; returns the
    /// migrations applied (none when it was current). A database written by a newer narrate is
    /// refused and left as it is.
    @discardableResult
    public func migrate(now: Date = Date()) async throws -> [String] {
        try await transaction { connection in
            try await connection.rows("SELECT pg_advisory_xact_lock(\(Self.migrationLock))", logger)
            try await connection.rows(
                "CREATE TABLE IF NOT EXISTS narrate_migration (id text PRIMARY KEY, applied_at double precision NOT NULL)", logger)
            let applied = try await appliedMigrations(connection)
            switch Self.compare(applied: applied) {
            case .current:
                return []
            case .ahead(let unknown):
                throw Self.newerSchema(unknown, settings)
            case .empty, .behind:
                let missing = Self.migrations.map(\.id).filter { !applied.contains($0) }
                for migration in Self.migrations where missing.contains(migration.id) {
                    for statement in migration.sql {
                        try await connection.rows(PostgresQuery(unsafeSQL: statement), logger)
                    }
                    try await connection.rows(
                        "INSERT INTO narrate_migration (id, applied_at) VALUES (\(migration.id), \(now.timeIntervalSince1970))", logger)
                }
                return missing
            }
        }
    }

    /// Refuses a database this build cannot use: no schema or an older one (`narrate migrate`
    /// upgrades it), or a newer one (upgrade narrate).
    public func requireCurrentSchema() async throws {
        switch try await probe() {
        case .current:
            return
        case .ahead(let unknown):
            throw Self.newerSchema(unknown, settings)
        case .empty:
            throw NarrateError(.unavailable, "the database \(settings.displayURL) has no narrate schema; `narrate migrate` creates it")
        case .behind:
            throw NarrateError(
                .unavailable, "the database \(settings.displayURL) has an older narrate schema; `narrate migrate` upgrades it")
        }
    }

    static func newerSchema(_ unknown: [String], _ settings: StoreSettings) -> NarrateError {
        NarrateError(
            .conflict,
            "the database \(settings.displayURL) was written by a newer version of narrate (schema \(unknown.joined(separator: ", "))); upgrade narrate. The database was not changed."
        )
    }
}
