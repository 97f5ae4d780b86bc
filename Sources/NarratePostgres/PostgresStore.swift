import Foundation
import Logging
import Metrics
import NarrateModel
import NarrateStore
import NIOCore
import NIOPosix
import NarratePlatform
import PostgresNIO

/// narrate's state in a PostgreSQL database, for several instances sharing one store: the same
/// protocols as `SQLiteStore`, with the exactly-once contract kept by PostgreSQL itself — a
/// slot's claim is an `INSERT … ON CONFLICT DO NOTHING` in the transaction that queues its
/// reports, a part's lease an `UPDATE … WHERE state = 'pending'` (row locks: of two
/// instances, one updates the row and the other then sees it taken).
///
/// Its connections are a ``ConnectionSet`` (why not postgres-nio's pool is written there);
/// ``run()`` holds them for the command and closes them when it ends (`StoreRunner` in the
/// executables, the test's task group in tests).
public struct PostgresStore: Storage, RunnableStore {
    let connections: ConnectionSet
    let logger: Logger
    public let settings: StoreSettings
    let configuration: PostgresConnection.Configuration

    /// A store on the database `settings` name, with `password` (already read from its file or
    /// environment variable). Nothing connects until the first query.
    public init(settings: StoreSettings, password: String?, logger: Logger = Logger(label: "narrate.store")) throws {
        self.settings = settings
        self.logger = logger
        var configuration: PostgresConnection.Configuration
        if settings.host.hasPrefix("/") {
            configuration = .init(
                unixSocketPath: settings.host + "/.s.PGSQL.\(settings.port)", username: settings.user, password: password,
                database: settings.database)
        } else {
            var tls = PostgresConnection.Configuration.TLS.disable
            if let (tlsConfiguration, required) = Self.tlsSettings(settings.tls) {
                let context = try NIOSSLContext(configuration: tlsConfiguration)
                tls = required ? .require(context) : .prefer(context)
            }
            configuration = .init(
                host: settings.host, port: settings.port, username: settings.user, password: password, database: settings.database,
                tls: tls)
        }
        configuration.options.connectTimeout = .seconds(10)
        configuration.options.additionalStartupParameters = [
            ("application_name", "narrate"),
            ("statement_timeout", "\(settings.statementTimeout)s"),
            // Times are compared as the instants they are; the server's zone plays no part.
            ("TimeZone", "UTC"),
        ]
        self.configuration = configuration
        connections = ConnectionSet(configuration: configuration, size: settings.poolSize, logger: logger)
    }

    /// The TLS settings of a mode, and whether TLS is required (else only preferred); nil for none.
    static func tlsSettings(_ mode: StoreSettings.TLSMode) -> (configuration: TLSConfiguration, required: Bool)? {
        var unchecked = TLSConfiguration.makeClientConfiguration()
        unchecked.certificateVerification = .none
        switch mode {
        case .disable: return nil
        case .prefer: return (unchecked, false)
        case .require: return (unchecked, true)
        case .verifyFull: return (.makeClientConfiguration(), true)
        }
    }

    /// Connects once, on a connection of its own, and reads the schema's state: what is wrong —
    /// the host unreachable, the password refused, TLS not offered — is said at once, which
    /// `check` and every command's start show.
    public func probe() async throws -> SchemaState {
        do {
            let connection = try await connections.dedicated()
            do {
                let applied = try await appliedMigrations(connection)
                try? await connection.close()
                return Self.compare(applied: applied)
            } catch {
                try? await connection.close()
                throw error
            }
        } catch {
            throw NarrateError(.unavailable, "cannot use the database \(settings.displayURL): \(Self.describe(error))")
        }
    }

    /// Holds the connections until the task is cancelled, then closes them.
    public func run() async {
        while !Task.isCancelled {
            // A timer far away, on narrate's own sleep thread: nothing wakes meanwhile.
            try? await Pause.sleep(seconds: 365 * 86_400)
        }
        await connections.close()
    }

    public func releaseMemory() {}

    public var location: String { settings.displayURL }

    // MARK: queries

    /// Rows of one query, outside a transaction.
    @discardableResult
    func rows(_ query: PostgresQuery) async throws -> [PostgresRow] {
        try await Self.wrap { try await connections.withConnection { try await $0.query(query, logger: logger).collect() } }
    }

    /// Runs `body` in one transaction: everything it writes is committed together or not at all.
    func transaction<T: Sendable>(_ body: (PostgresConnection) async throws -> T) async throws -> T {
        try await Self.wrap {
            try await connections.withConnection { connection in
                try await connection.withTransaction(logger: logger) { connection in try await body(connection) }
            }
        }
    }

    /// Statements the database failed (unreachable, failing over, timed out): an outage shows
    /// on `/metrics` as this counter rising.
    static var failures: Counter { Counter(label: "narrate_store_errors_total", dimensions: [("store", "postgres")]) }

    /// Turns the driver's errors into messages a user can act on; narrate's own errors thrown
    /// inside a transaction (a closed entry, a conflicting reading) pass through as they are.
    static func wrap<T>(_ body: () async throws -> T) async throws -> T {
        do {
            return try await body()
        } catch let error as any CategorizedError {
            throw error
        } catch let error as PostgresTransactionError {
            if let inner = error.closureError as? any CategorizedError { throw inner }
            if error.closureError is CancellationError { throw CancellationError() }
            Self.failures.increment()
            throw NarrateError(.unavailable, "store: \(describe(error.closureError ?? error.commitError ?? error.beginError ?? error))")
        } catch is CancellationError {
            throw CancellationError()
        } catch {
            Self.failures.increment()
            throw NarrateError(.unavailable, "store: \(describe(error))")
        }
    }

    /// The server's own words when it sent some; else what failed on the way there, said plainly.
    static func describe(_ error: any Error) -> String {
        guard let error = error as? PSQLError else { return describeNetwork(error) }
        if let message = error.serverInfo?[.message] {
            return message + (error.serverInfo?[.sqlState].map { " (\($0))" } ?? "")
        }
        switch error.code {
        case .sslUnsupported:
            return "the server does not offer TLS; enable ssl on the server, or use sslmode=disable on a trusted network"
        case .authMechanismRequiresPassword:
            return "the server asks for a password; give it as password_file or password_env in [store]"
        case .connectionError:
            return error.underlying.map(describeNetwork) ?? "the connection failed"
        case .serverClosedConnection:
            return "the server closed the connection"
        case .poolClosed:
            return "the connection pool is closed (narrate is stopping)"
        default:
            return error.underlying.map { "\(error.code): \(describeNetwork($0))" } ?? "\(error.code)"
        }
    }

    static func describeNetwork(_ error: any Error) -> String {
        if let error = error as? NIOConnectionError {
            if let failure = error.connectionErrors.first {
                return "cannot connect to \(error.host):\(error.port): \(describeNetwork(failure.error))"
            }
            if error.dnsAError != nil || error.dnsAAAAError != nil {
                return "cannot resolve the host \(error.host)"
            }
        }
        if let error = error as? IOError { return String(cString: strerror(error.errnoCode)) }
        if let error = error as? SocketAddressError, case .unknown(let host, _) = error { return "cannot resolve the host \(host)" }
        return "\(error)"
    }
}

extension PostgresConnection {
    /// Rows of one query in the connection's transaction.
    @discardableResult
    func rows(_ query: PostgresQuery, _ logger: Logger) async throws -> [PostgresRow] {
        try await self.query(query, logger: logger).collect()
    }
}
