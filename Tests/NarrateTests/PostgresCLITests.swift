import Foundation
import GRDB
import Testing
@testable import NarrateModel
@testable import NarratePostgres
@testable import NarrateStore

/// The commands on a PostgreSQL store, as an operator meets them: a database without the
/// schema, `narrate migrate`, check-ins and history, a database from a newer narrate, and the
/// reasons a connection fails — each said plainly, none repeating the password.
@Suite(.enabled(if: PostgresTestServer.settings != nil, "needs the cluster of scripts/postgres.sh"))
struct PostgresCLITests {
    static func cli(_ settings: StoreSettings, passwordFile: String) -> CLI {
        let cli = CLI(config: exampleConfig() + """

            [store]
            url = "postgres://\(settings.user)@\(settings.host):\(settings.port)/\(settings.database)?sslmode=disable"
            password_file = "\(passwordFile)"

            """)
        return cli
    }

    @Test func migrateThenCheckInAndReadBack() async throws {
        let passwordFile = try #require(ProcessInfo.processInfo.environment["NARRATE_TEST_POSTGRES_PASSWORD_FILE"])
        let password = try #require(PostgresTestServer.password)
        try await PostgresTestServer.withDatabase { store, _ in
            let cli = Self.cli(store.settings, passwordFile: passwordFile)
            let early = try await cli.run("log", "progress", "too early", "--as", "alice")
            #expect(early.status == 1 && early.stderr.contains("has no narrate schema; `narrate migrate` creates it"), "\(early.stderr)")
            let migrated = try await cli.run("migrate")
            #expect(migrated.status == 0 && migrated.stdout.contains("applied pg1-schema to postgres://narrate@127.0.0.1:"), "\(migrated)")
            await #expect(try cli.run("migrate").stdout.contains("is current"))
            await #expect(try cli.run("log", "blocker", "Waiting on legal", "--as", "alice").stdout.contains("B-1"))
            await #expect(try cli.run("mood", "2", "--as", "alice").status == 0)
            let history = try await cli.run("history")
            #expect(history.stdout.contains("B-1  alice  blocker (open)  Waiting on legal"), "\(history)")
            #expect(try await store.entryCount() == 1)
            #expect(!FileManager.default.fileExists(atPath: cli.stateDir + "/narrate.sqlite"), "the SQLite file is not the store")
            let check = try await cli.run("check")
            #expect(check.status == 0 && check.stderr.contains("ok ("), "\(check)")
            for output in [early, migrated, history, check] { #expect(!(output.stdout + output.stderr).contains(password)) }

            // A newer narrate's schema: refused by every command and by migrate, and left as it is.
            try await store.rows("INSERT INTO narrate_migration (id, applied_at) VALUES ('pg99-future', 0)")
            let refused = try await cli.run("history")
            #expect(refused.status == 1 && refused.stderr.contains("written by a newer version of narrate (schema pg99-future)"), "\(refused)")
            let notMigrated = try await cli.run("migrate")
            #expect(notMigrated.status == 1 && notMigrated.stderr.contains("The database was not changed."))
            #expect(try await store.rows("SELECT id FROM narrate_migration").count == 2)
        }
    }

    @Test func aConnectionThatFailsSaysWhy() async throws {
        let settings = try #require(PostgresTestServer.settings)
        let directory = temporaryDirectory()
        let wrong = directory + "/wrong-password"
        try "not-the-password\n".write(toFile: wrong, atomically: true, encoding: .utf8)
        let refused = try await Self.cli(settings, passwordFile: wrong).run("check")
        #expect(refused.status == 1)
        #expect(refused.stdout.contains("store.url: cannot use the database postgres://narrate@127.0.0.1:\(settings.port)/postgres?sslmode=disable: password authentication failed for user \"narrate\""), "\(refused)")
        #expect(!(refused.stdout + refused.stderr).contains("not-the-password"))

        // No password at all: the server's request for one is said as what to configure.
        let noPassword = CLI(config: exampleConfig() + """

            [store]
            url = "postgres://narrate@127.0.0.1:\(settings.port)/postgres?sslmode=disable"

            """)
        let asked = try await noPassword.run("check")
        #expect(asked.status == 1 && asked.stdout.contains("the server asks for a password; give it as password_file or password_env in [store]"), "\(asked)")

        var closed = settings
        closed.port = 1
        let unreachable = try await Self.cli(closed, passwordFile: wrong).run("history")
        #expect(unreachable.status == 1 && unreachable.stderr.contains("cannot connect to 127.0.0.1:1: Connection refused"), "\(unreachable)")
    }

    /// `store copy` moves a real store (the demo's) and verifies every table; a second run is a
    /// no-op, and a database holding other rows is refused with nothing written.
    @Test func storeCopyMovesAStoreOnceAndVerifiesIt() async throws {
        let passwordFile = try #require(ProcessInfo.processInfo.environment["NARRATE_TEST_POSTGRES_PASSWORD_FILE"])
        try await PostgresTestServer.withDatabase { store, _ in
            let cli = Self.cli(store.settings, passwordFile: passwordFile)
            let source = cli.directory + "/sqlite"
            // The demo week, a token, a reading, a correction: rows in many tables.
            let sqlite = CLI()
            await #expect(try sqlite.run("demo").status == 0)
            await #expect(try sqlite.run("token", "create", "alice").status == 0)
            let logged = try await sqlite.run("log", "progress", "first draft", "--as", "alice").stdout
            let id = try #require(logged.split(separator: " ").first { $0.hasPrefix("P-") }.map { String($0).trimmingCharacters(in: .whitespacesAndNewlines) })
            await #expect(try sqlite.run("edit", id, "corrected", "--as", "alice").status == 0)
            try FileManager.default.copyItem(atPath: sqlite.stateDir, toPath: source)
            let copied = try await cli.run("store", "copy", "--from", "sqlite:" + source)
            #expect(copied.status == 0, "\(copied)")
            #expect(copied.stdout.hasPrefix("copied \(source)/narrate.sqlite to postgres://"), "\(copied.stdout)")
            let counts = try SQLiteStore(readOnly: source + "/narrate.sqlite").read { db in
                try ["entry", "mood", "metric", "token", "entry_change"].map { try Int.fetchOne(db, sql: "SELECT count(*) FROM \($0)") ?? 0 }
            }
            #expect(counts.allSatisfy { $0 > 0 }, "\(counts)")
            for (table, count) in zip(["entry", "mood", "metric", "token", "entry_change"], counts) {
                #expect(try await store.rows("SELECT count(*) FROM \(unescaped: table)")[0].decode(Int.self) == count, "\(table)")
                #expect(copied.stdout.contains("\(table) ") && copied.stdout.contains(" \(count) rows"), "\(table)")
            }
            // The copy is the store: the same history, and new ids continue after the copied ones.
            let history = try await cli.run("history", "--since", "2000-01-01")
            #expect(history.stdout == (try await sqlite.run("history", "--since", "2000-01-01").stdout))
            let next = try await cli.run("log", "progress", "first after the move", "--as", "alice")
            #expect(next.stdout.contains("P-\(counts[0] + 1)"), "\(next)")

            let again = try await cli.run("store", "copy", "--from", source)
            #expect(again.status == 1 && again.stderr.contains("already holds"), "\(again)")
            #expect(try await store.entryCount() == counts[0] + 1)
            // Without the new entry the database is this store again: a second run writes nothing.
            try await store.rows("DELETE FROM entry WHERE text = 'first after the move'")
            let noop = try await cli.run("store", "copy", "--from", source)
            #expect(noop.status == 0 && noop.stdout.contains("already holds this store; nothing was written"), "\(noop)")
            #expect(try await store.entryCount() == counts[0])
        }
    }

    /// Two hosts upgrading one database at once: the advisory lock makes one apply the schema and
    /// the other find it current; neither fails.
    @Test func twoMigrationsAtOnceApplyTheSchemaOnce() async throws {
        try await PostgresTestServer.withDatabase { store, other in
            async let first = store.migrate()
            async let second = other.migrate()
            let applied = try await [first, second]
            #expect(applied.sorted { $0.count < $1.count } == [[], ["pg1-schema"]], "\(applied)")
            #expect(try await store.schemaState() == .current)
        }
    }
}
