import Foundation
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

        var closed = settings
        closed.port = 1
        let unreachable = try await Self.cli(closed, passwordFile: wrong).run("history")
        #expect(unreachable.status == 1 && unreachable.stderr.contains("cannot connect to 127.0.0.1:1: Connection refused"), "\(unreachable)")
    }
}
