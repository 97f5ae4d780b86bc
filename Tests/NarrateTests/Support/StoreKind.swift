import Foundation
import Logging
import Testing
@testable import NarrateModel
@testable import NarratePostgres
@testable import NarrateStore

/// The stores the contract suite runs against: the SQLite file always, PostgreSQL when
/// `scripts/postgres.sh` started a cluster for the run (`make test` and CI do).
enum StoreKind: String, CaseIterable, CustomTestStringConvertible, Sendable {
    case sqlite, postgres

    var testDescription: String { rawValue }

    static var available: [StoreKind] { PostgresTestServer.settings == nil ? [.sqlite] : [.sqlite, .postgres] }

    /// A new, empty store of this kind, running while `body` runs, removed afterwards.
    func withStore<T: Sendable>(_ body: @Sendable (any Storage) async throws -> T) async throws -> T {
        try await withStores { one, _ in try await body(one) }
    }

    /// Two handles on one new store, as two instances would hold (two connection pools, two
    /// SQLite connections): what one does, the other must see and must not do again.
    func withStores<T: Sendable>(_ body: @Sendable (any Storage, any Storage) async throws -> T) async throws -> T {
        switch self {
        case .sqlite:
            let directory = temporaryDirectory()
            return try await body(try SQLiteStore(directory: directory), try SQLiteStore(directory: directory))
        case .postgres:
            return try await PostgresTestServer.withDatabase { store, other in
                try await store.migrate()
                return try await body(store, other)
            }
        }
    }
}

/// The cluster `scripts/postgres.sh` started: each test gets a database of its own.
enum PostgresTestServer {
    static var settings: StoreSettings? {
        guard let url = ProcessInfo.processInfo.environment["NARRATE_TEST_POSTGRES_URL"] else { return nil }
        return try? StoreSettings(url: url)
    }

    static var password: String? {
        ProcessInfo.processInfo.environment["NARRATE_TEST_POSTGRES_PASSWORD_FILE"].flatMap {
            try? String(contentsOfFile: $0, encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines)
        }
    }

    /// A fresh database on the cluster with two stores on it (two pools; not migrated), running
    /// while `body` runs; dropped afterwards.
    static func withDatabase<T: Sendable>(_ body: @Sendable (PostgresStore, PostgresStore) async throws -> T) async throws -> T {
        guard var settings else { throw NarrateError(.unavailable, "no PostgreSQL cluster: run through scripts/postgres.sh") }
        var logger = Logger(label: "narrate.store.test")
        // The pools log a connection refused by a database just dropped; nothing to read there.
        logger.logLevel = .critical
        let admin = try PostgresStore(settings: settings, password: password, logger: logger)
        let name = "t_" + UUID().uuidString.replacingOccurrences(of: "-", with: "").prefix(16).lowercased()
        settings.database = name
        let store = try PostgresStore(settings: settings, password: password, logger: logger)
        let other = try PostgresStore(settings: settings, password: password, logger: logger)
        return try await withThrowingTaskGroup(of: T?.self) { group in
            group.addTask { await admin.run(); return nil }
            group.addTask { await store.run(); return nil }
            group.addTask { await other.run(); return nil }
            defer { group.cancelAll() }
            try await admin.rows("CREATE DATABASE \(unescaped: name)")
            do {
                let result = try await body(store, other)
                try await admin.rows("DROP DATABASE \(unescaped: name) WITH (FORCE)")
                return result
            } catch {
                _ = try? await admin.rows("DROP DATABASE \(unescaped: name) WITH (FORCE)")
                throw error
            }
        }
    }
}

/// A PostgreSQL cluster of one test's own, to stop and start under a running daemon without
/// disturbing the other tests' shared cluster. Trust authentication on loopback.
final class PrivateCluster: Sendable {
    let directory: String
    let port: Int
    let bin: String

    init() async throws {
        bin = try #require(ProcessInfo.processInfo.environment["NARRATE_TEST_POSTGRES_BIN"], "scripts/postgres.sh exports it")
        directory = temporaryDirectory("pg")
        port = Int.random(in: 20_000...60_000)
        if getuid() == 0 { _ = try await ChildProcess.run("/bin/chown", ["narrate-pg", directory]) }
        let initdb = try await Self.asOwner(bin + "/initdb", ["-D", directory + "/data", "-U", "narrate", "-A", "trust", "--no-sync"])
        try #require(initdb.status == 0, "\(initdb.stderr)")
        try await start()
    }

    var settings: StoreSettings {
        StoreSettings(host: "127.0.0.1", port: port, user: "narrate", database: "postgres", tls: .disable)
    }

    static func asOwner(_ program: String, _ arguments: [String]) async throws -> ChildProcess.Output {
        if getuid() == 0 { return try await ChildProcess.run("/usr/sbin/runuser", ["-u", "narrate-pg", "--", program] + arguments) }
        return try await ChildProcess.run(program, arguments)
    }

    func start() async throws {
        let started = try await Self.asOwner(bin + "/pg_ctl", [
            "-D", directory + "/data", "-l", directory + "/server.log", "-w", "-o",
            "-p \(port) -k \(directory) -c listen_addresses=127.0.0.1 -c fsync=off", "start",
        ])
        try #require(started.status == 0, "\(started.stdout) \(started.stderr)")
    }

    /// Stopped at once, as a crash or a failover would: connections are cut.
    func stop() async throws {
        _ = try await Self.asOwner(bin + "/pg_ctl", ["-D", directory + "/data", "-m", "immediate", "-w", "stop"])
    }

    /// A cluster for `body`, stopped afterwards whatever happens (never left running).
    static func with<T: Sendable>(_ body: (PrivateCluster) async throws -> T) async throws -> T {
        let cluster = try await PrivateCluster()
        do {
            let result = try await body(cluster)
            try await cluster.stop()
            return result
        } catch {
            try? await cluster.stop()
            throw error
        }
    }
}
