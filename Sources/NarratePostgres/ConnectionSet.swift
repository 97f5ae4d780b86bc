import Logging
import NarrateModel
import PostgresNIO

/// The store's connections to PostgreSQL: at most `size` open, each reused while it lasts, none
/// closed by a timer; a connection that failed is dropped and the next caller opens a new one.
///
/// Why not postgres-nio's `PostgresClient` pool (1.33): it closes an idle connection on a
/// `Task.sleep` timer, whose wake-up starts libdispatch's worker pool and its once-a-second
/// monitor (an idle daemon woke 8 times in 8 s); and kept at a minimum size instead, its state
/// machine traps (`createNewDemandConnectionIfPossible`'s precondition) when a request comes
/// while the minimum connections are being reopened after a database restart. Both were
/// measured here (`PostgresDaemonTests`). What this keeps of a pool is small: reuse, a bound,
/// and waiting for a connection when all are in use.
actor ConnectionSet {
    private let configuration: PostgresConnection.Configuration
    private let size: Int
    private let logger: Logger
    private var idle: [PostgresConnection] = []
    /// Connections open or being opened, idle or in use.
    private var open = 0
    /// Callers waiting for a connection: handed one that is released, or nil to open their own.
    private var waiters: [CheckedContinuation<PostgresConnection?, Never>] = []
    private var closed = false
    private var nextID = 0

    init(configuration: PostgresConnection.Configuration, size: Int, logger: Logger) {
        self.configuration = configuration
        self.size = max(1, size)
        self.logger = logger
    }

    /// Runs `body` on a connection of the set. A connection on which `body` failed for any reason
    /// but a statement's own (a server error) is closed rather than reused: after a failover it
    /// is likely dead.
    nonisolated func withConnection<T: Sendable>(_ body: (PostgresConnection) async throws -> T) async throws -> T {
        let connection = try await lease()
        do {
            let result = try await body(connection)
            await release(connection)
            return result
        } catch {
            if !Self.isStatementError(error) { try? await connection.close() }
            await release(connection)
            throw error
        }
    }

    /// A connection for one caller's own use (LISTEN), outside the set's bound.
    nonisolated func dedicated() async throws -> PostgresConnection {
        try await PostgresConnection.connect(configuration: configuration, id: 0, logger: logger)
    }

    private func lease() async throws -> PostgresConnection {
        while true {
            if closed { throw NarrateError(.unavailable, "store: narrate is stopping") }
            while let connection = idle.popLast() {
                if !connection.isClosed { return connection }
                open -= 1
            }
            if open < size {
                open += 1
                nextID += 1
                do {
                    return try await PostgresConnection.connect(configuration: configuration, id: nextID, logger: logger)
                } catch {
                    open -= 1
                    wakeOne()
                    throw error
                }
            }
            if let connection = await withCheckedContinuation({ waiters.append($0) }) { return connection }
        }
    }

    private func release(_ connection: PostgresConnection) {
        if connection.isClosed || closed {
            open -= 1
            wakeOne()
        } else if !waiters.isEmpty {
            waiters.removeFirst().resume(returning: connection)
        } else {
            idle.append(connection)
        }
    }

    /// A waiter opens a connection itself (one was closed, or failed to open).
    private func wakeOne() {
        if !waiters.isEmpty { waiters.removeFirst().resume(returning: nil) }
    }

    /// Closes the idle connections; those in use close when released; callers waiting fail.
    func close() async {
        closed = true
        let connections = idle
        idle = []
        open -= connections.count
        for waiter in waiters { waiter.resume(returning: nil) }
        waiters = []
        for connection in connections { try? await connection.close() }
    }

    /// An error the server raised for one statement (a constraint, a timeout): the connection
    /// is still good.
    static func isStatementError(_ error: any Error) -> Bool {
        if error is any CategorizedError { return true }
        if let error = error as? PSQLError { return error.serverInfo != nil && error.code == .server }
        if let error = error as? PostgresTransactionError {
            return error.closureError.map(isStatementError) ?? false
        }
        return false
    }
}
