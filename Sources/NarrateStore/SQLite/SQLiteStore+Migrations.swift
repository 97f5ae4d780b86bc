import NarrateModel
import GRDB

extension SQLiteStore {
    /// Versioned schema. Never edit a registered migration; add a new one.
    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1-entries") { db in
            try db.execute(
                sql: """
                    CREATE TABLE entry (
                        id INTEGER PRIMARY KEY AUTOINCREMENT,
                        person TEXT NOT NULL,
                        kind TEXT NOT NULL CHECK (kind IN ('progress','blocker','next','learned','win')),
                        text TEXT NOT NULL,
                        stage TEXT CHECK (stage IN ('front','middle','back')),
                        kpi TEXT,
                        at REAL NOT NULL,
                        state TEXT CHECK (state IN ('open','resolved','done','dropped')),
                        closed_at REAL,
                        note TEXT,
                        created_at REAL NOT NULL
                    );
                    CREATE INDEX entry_at ON entry(at);
                    CREATE INDEX entry_person_at ON entry(person, at);
                    CREATE TABLE mood (
                        id INTEGER PRIMARY KEY AUTOINCREMENT,
                        person TEXT NOT NULL,
                        mood INTEGER NOT NULL CHECK (mood BETWEEN 1 AND 5),
                        load INTEGER CHECK (load BETWEEN 1 AND 5),
                        at REAL NOT NULL
                    );
                    CREATE INDEX mood_at ON mood(at);
                    CREATE TABLE away (
                        id INTEGER PRIMARY KEY AUTOINCREMENT,
                        person TEXT NOT NULL,
                        from_day TEXT NOT NULL,
                        to_day TEXT NOT NULL
                    );
                    CREATE TABLE metric (
                        id INTEGER PRIMARY KEY AUTOINCREMENT,
                        kpi TEXT NOT NULL,
                        value REAL NOT NULL,
                        at REAL NOT NULL
                    );
                    CREATE INDEX metric_kpi_at ON metric(kpi, at);
                    CREATE TABLE run (
                        id INTEGER PRIMARY KEY AUTOINCREMENT,
                        schedule TEXT NOT NULL,
                        team TEXT NOT NULL,
                        slot REAL NOT NULL,
                        state TEXT NOT NULL,
                        at REAL NOT NULL,
                        detail TEXT,
                        UNIQUE (schedule, slot)
                    );
                    """)
        }
        migrator.registerMigration("v2-outbox") { db in
            try db.execute(
                sql: """
                    CREATE TABLE report (
                        id INTEGER PRIMARY KEY AUTOINCREMENT,
                        team TEXT NOT NULL,
                        schedule TEXT,
                        period_start REAL NOT NULL,
                        period_end REAL NOT NULL,
                        markdown TEXT NOT NULL,
                        created_at REAL NOT NULL
                    );
                    CREATE TABLE delivery (
                        id INTEGER PRIMARY KEY AUTOINCREMENT,
                        report INTEGER NOT NULL REFERENCES report(id),
                        target TEXT NOT NULL,
                        kind TEXT NOT NULL,
                        part INTEGER NOT NULL,
                        parts INTEGER NOT NULL,
                        body TEXT NOT NULL,
                        state TEXT NOT NULL CHECK (state IN ('pending','sending','sent','parked')),
                        attempts INTEGER NOT NULL DEFAULT 0,
                        next_attempt_at REAL NOT NULL,
                        last_error TEXT,
                        sent_at REAL,
                        receipt TEXT,
                        route TEXT,
                        claimed_at REAL,
                        created_at REAL NOT NULL,
                        UNIQUE (report, target, part)
                    );
                    CREATE INDEX delivery_state ON delivery(state, next_attempt_at);
                    """)
        }
        migrator.registerMigration("v3-manual-runs-and-attempts") { db in
            try db.execute(
                sql: """
                    ALTER TABLE run ADD COLUMN manual INTEGER NOT NULL DEFAULT 0;
                    ALTER TABLE delivery ADD COLUMN attempts_base INTEGER NOT NULL DEFAULT 0;
                    """)
        }
        migrator.registerMigration("v4-corrections") { db in
            try db.execute(
                sql: """
                    ALTER TABLE entry ADD COLUMN deleted_at REAL;
                    CREATE TABLE entry_change (
                        id INTEGER PRIMARY KEY AUTOINCREMENT,
                        entry INTEGER NOT NULL REFERENCES entry(id),
                        person TEXT NOT NULL,
                        action TEXT NOT NULL CHECK (action IN ('edit','delete')),
                        old_text TEXT NOT NULL,
                        at REAL NOT NULL,
                        undone INTEGER NOT NULL DEFAULT 0
                    );
                    CREATE INDEX entry_change_person ON entry_change(person, id);
                    """)
        }
        migrator.registerMigration("v5-followed-index") { db in
            // Open and recently closed blockers and next actions, without reading a person's
            // whole history; ANALYZE so the planner knows the index is worth it.
            try db.execute(
                sql: """
                    CREATE INDEX entry_followed ON entry(person, kind, closed_at);
                    CREATE INDEX mood_person_at ON mood(person, at);
                    ANALYZE;
                    """)
        }
        migrator.registerMigration("v6-report-team") { db in
            try db.execute(sql: "CREATE INDEX report_team ON report(team, id)")
        }
        migrator.registerMigration("v7-delivery-target") { db in
            // Each target's courier task asks for its own unfinished parts.
            try db.execute(sql: "CREATE INDEX delivery_target_state ON delivery(target, state)")
        }
        migrator.registerMigration("v8-tokens") { db in
            try db.execute(
                sql: """
                    CREATE TABLE token (
                        id INTEGER PRIMARY KEY AUTOINCREMENT,
                        person TEXT NOT NULL,
                        scope TEXT NOT NULL CHECK (scope IN ('link','api')),
                        hash TEXT NOT NULL UNIQUE,
                        created_at REAL NOT NULL,
                        expires_at REAL,
                        revoked_at REAL,
                        last_used_at REAL
                    );
                    CREATE INDEX token_person ON token(person, id);
                    """)
        }
        migrator.registerMigration("v9-notices") { db in
            // Reminders, follow-ups and escalations travel through the outbox as one-part
            // "reports" of kind 'notice' addressed to a person; `notice` records each one once.
            try db.execute(
                sql: """
                    ALTER TABLE report ADD COLUMN kind TEXT NOT NULL DEFAULT 'report';
                    ALTER TABLE report ADD COLUMN person TEXT;
                    CREATE TABLE notice (
                        key TEXT PRIMARY KEY,
                        person TEXT NOT NULL,
                        kind TEXT NOT NULL,
                        reports TEXT,
                        detail TEXT,
                        created_at REAL NOT NULL
                    );
                    CREATE INDEX report_kind ON report(kind, team, id);
                    """)
        }
        migrator.registerMigration("v10-sources") { db in
            // Entries a source brought in keep their origin and a stable key (a commit hash, a
            // pull request's URL): the key makes a second import of the same thing a no-op.
            // The entry table is rebuilt (SQLite cannot change a CHECK) to accept the `helped`,
            // `ask` and `decision` kinds; GRDB runs this with foreign keys deferred and checks them before committing.
            try db.execute(
                sql: """
                    CREATE TABLE entry_v10 (
                        id INTEGER PRIMARY KEY AUTOINCREMENT,
                        person TEXT NOT NULL,
                        kind TEXT NOT NULL CHECK (kind IN ('progress','blocker','next','learned','win','helped','ask','decision')),
                        text TEXT NOT NULL,
                        stage TEXT CHECK (stage IN ('front','middle','back')),
                        kpi TEXT,
                        at REAL NOT NULL,
                        state TEXT CHECK (state IN ('open','resolved','done','dropped')),
                        closed_at REAL,
                        note TEXT,
                        created_at REAL NOT NULL,
                        deleted_at REAL,
                        origin TEXT,
                        url TEXT,
                        source_key TEXT
                    );
                    INSERT INTO entry_v10 (id, person, kind, text, stage, kpi, at, state, closed_at, note, created_at, deleted_at)
                        SELECT id, person, kind, text, stage, kpi, at, state, closed_at, note, created_at, deleted_at FROM entry;
                    DROP TABLE entry;
                    ALTER TABLE entry_v10 RENAME TO entry;
                    CREATE INDEX entry_at ON entry(at);
                    CREATE INDEX entry_person_at ON entry(person, at);
                    CREATE INDEX entry_followed ON entry(person, kind, closed_at);
                    CREATE UNIQUE INDEX entry_source_key ON entry(source_key) WHERE source_key IS NOT NULL;
                    ANALYZE;
                    CREATE TABLE draft (
                        id INTEGER PRIMARY KEY AUTOINCREMENT,
                        person TEXT NOT NULL,
                        kind TEXT NOT NULL,
                        text TEXT NOT NULL,
                        stage TEXT,
                        at REAL NOT NULL,
                        origin TEXT NOT NULL,
                        url TEXT,
                        source_key TEXT NOT NULL UNIQUE,
                        state TEXT NOT NULL DEFAULT 'pending' CHECK (state IN ('pending','confirmed','discarded')),
                        entry INTEGER,
                        created_at REAL NOT NULL
                    );
                    CREATE INDEX draft_person ON draft(person, state, at);
                    CREATE TABLE source_run (
                        source TEXT PRIMARY KEY,
                        at REAL NOT NULL,
                        problems TEXT NOT NULL
                    );
                    CREATE TABLE http_cache (
                        url TEXT PRIMARY KEY,
                        etag TEXT NOT NULL,
                        body BLOB NOT NULL,
                        stored_at REAL NOT NULL
                    );
                    """)
        }
        migrator.registerMigration("v11-metric-values") { db in
            // Readings by KPI and time with their values: the report's readings and `check`'s
            // twelve-month range per KPI are read from the index alone (7 → 4 ms for 250 KPIs
            // and a year of readings), without a table lookup a row.
            try db.execute(
                sql: """
                    CREATE INDEX metric_kpi_at_value ON metric(kpi, at, value);
                    DROP INDEX metric_kpi_at;
                    """)
        }
        migrator.registerMigration("v12-metric-authors") { db in
            // Who recorded a reading and how (cli, api, csv, source, demo); readings kept before
            // have neither.
            try db.execute(
                sql: """
                    ALTER TABLE metric ADD COLUMN author TEXT;
                    ALTER TABLE metric ADD COLUMN origin TEXT;
                    """)
        }
        migrator.registerMigration("v13-digest-kind") { db in
            // Manager digests were archived as kind 'report' beside the team report, and the team
            // page showed whichever was newest. They are told apart by the bundled digest
            // template's title line, in both locales.
            try db.execute(
                sql: """
                    UPDATE report SET kind = 'digest'
                    WHERE kind = 'report' AND substr(markdown, 1, 2) = '# '
                      AND (instr(substr(markdown, 1, instr(markdown || char(10), char(10))), ' · manager digest · ') > 0
                        OR instr(substr(markdown, 1, instr(markdown || char(10), char(10))), ' · 主管摘要 · ') > 0);
                    """)
        }
        migrator.registerMigration("v14-replay") { db in
            // Signed chat requests already acted on, for every process on the store.
            try db.execute(sql: "CREATE TABLE replay (key TEXT PRIMARY KEY NOT NULL, at REAL NOT NULL) WITHOUT ROWID")
            try db.execute(sql: "CREATE INDEX replay_at ON replay (at)")
        }
        return migrator
    }
}
