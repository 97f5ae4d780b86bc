import Foundation
import NarrateModel
import GRDB
#if canImport(Glibc)
import Glibc
#endif

/// The durable state of narrate: entries, check-ins, metrics and the run ledger, in one
/// SQLite file (WAL mode) inside the state directory.
///
/// This is the only type that speaks SQL. Several processes may open the same store at once
/// (two people logging in the same second, two daemons); writers wait for each other.
public struct SQLiteStore: Storage {
    public static let fileName = "narrate.sqlite"

    let pool: any DatabaseWriter
    public let path: String
    public var location: String { path }
    /// Opened read-only: reading commands work, writes fail with a clear error.
    public let isReadOnly: Bool

    /// Opens (creating and migrating if needed) the store in `directory`. A directory this
    /// process cannot write to (a read-only state dir) is opened read-only.
    public init(directory: String) throws {
        let path = directory + "/" + Self.fileName
        if FileManager.default.fileExists(atPath: path) && access(directory, W_OK) != 0 {
            try self.init(readOnly: path)
            return
        }
        try StateDirectory.create(directory)
        try self.init(path: path)
    }

    /// Opens an existing store without writing to it or to its directory.
    public init(readOnly path: String) throws {
        self.path = path
        isReadOnly = true
        try Self.refuseEmpty(path)
        var configuration = Configuration()
        configuration.readonly = true
        configuration.busyMode = .timeout(10)
        configuration.label = "narrate (read-only)"
        do {
            pool = try DatabaseQueue(path: path, configuration: configuration)
        } catch {
            throw NarrateError(.unavailable, "cannot open the store \(path) read-only: \(Self.describe(error))")
        }
        let migrator = Self.migrator
        let pending = try Self.wrap {
            try pool.read { try Set(migrator.migrations).subtracting(migrator.appliedIdentifiers($0)) }
        }
        guard pending.isEmpty else {
            throw NarrateError(.unavailable, "the store \(path) needs an upgrade, which a read-only state directory does not allow")
        }
    }

    /// Whether `directory` holds a store file with something in it.
    public static func exists(in directory: String) -> Bool {
        var status = stat()
        return stat(directory + "/" + fileName, &status) == 0 && status.st_size > 0
    }

    /// A store file of zero bytes is not a store: it is refused, never silently made anew.
    static func refuseEmpty(_ path: String) throws {
        // `stat`, not FileManager's attributes: those look the owner's name up in the user
        // database, a third of opening the store.
        var status = stat()
        if stat(path, &status) == 0 && status.st_size == 0 {
            throw NarrateError(
                .unavailable,
                "the store \(path) is empty (0 bytes), not a narrate store; restore it from a backup, or move it away to start a new one")
        }
    }

    public init(path: String) throws {
        self.path = path
        isReadOnly = false
        // Opening (switching to WAL) and migrating are not safe to race between processes;
        // a lock file serialises them. Ordinary reads and writes wait on SQLite's busy timeout.
        let lock = try Self.lockFile(path + ".lock")
        defer {
            flock(lock, LOCK_UN)
            Glibc.close(lock)
        }
        // Under the lock: a store another process is creating right now is not empty by then.
        try Self.refuseEmpty(path)
        var configuration = Configuration()
        configuration.busyMode = .timeout(10)
        configuration.label = "narrate"
        // At most two readers besides the writer, each with a 2 MiB page cache: a report reads
        // a few hundred pages, and an idle daemon should not hold more (the default is 5
        // readers of 8 MiB each).
        configuration.maximumReaderCount = 2
        // Releasing memory keeps the reader connections and empties their caches: closing them
        // disposes their dispatch queues, which starts libdispatch's worker pool and with it a
        // timer that wakes the daemon every second from then on (QuietExecutor).
        configuration.persistentReadOnlyConnections = true
        configuration.prepareDatabase { db in
            try db.execute(sql: "PRAGMA synchronous = NORMAL; PRAGMA cache_size = -2048")
        }
        do {
            pool = try DatabasePool(path: path, configuration: configuration)
        } catch {
            throw NarrateError(.unavailable, "cannot open the store \(path): \(Self.describe(error))")
        }
        let migrator = Self.migrator
        let superseded = try Self.wrap { try pool.read { try migrator.hasBeenSuperseded($0) } }
        if superseded {
            let unknown = try Self.wrap {
                try pool.read { try migrator.appliedIdentifiers($0).subtracting(migrator.migrations) }
            }
            throw NarrateError(.conflict,
                "the store \(path) was written by a newer version of narrate (schema \(unknown.sorted().joined(separator: ", "))); upgrade narrate, or point --state-dir elsewhere. The store was not changed."
            )
        }
        try Self.wrap { try migrator.migrate(pool) }
    }

    static func lockFile(_ path: String) throws -> Int32 {
        let fd = open(path, O_CREAT | O_RDWR | O_CLOEXEC, 0o600)
        guard fd >= 0 else { throw NarrateError(.unavailable, "cannot open \(path): \(String(cString: strerror(errno)))") }
        while flock(fd, LOCK_EX) != 0 {
            guard errno == EINTR else {
                Glibc.close(fd)
                throw NarrateError(.unavailable, "cannot lock \(path): \(String(cString: strerror(errno)))")
            }
        }
        return fd
    }

    /// Turns SQLite errors into messages a user can act on.
    static func wrap<T>(_ body: () throws -> T) throws -> T {
        do {
            return try body()
        } catch let error as any CategorizedError {
            throw error
        } catch {
            throw NarrateError(.unavailable, "store: \(describe(error))")
        }
    }

    static func describe(_ error: any Error) -> String {
        if let error = error as? DatabaseError {
            return error.message ?? "\(error.resultCode)"
        }
        return "\(error)"
    }

    /// Frees the page caches of the writer and the readers (the daemon, between cycles).
    public func releaseMemory() {
        (pool as? DatabasePool)?.releaseMemory()
    }

    func write<T>(_ body: (Database) throws -> T) throws -> T {
        try Self.wrap { try pool.write(body) }
    }

    package func read<T>(_ body: (Database) throws -> T) throws -> T {
        try Self.wrap { try pool.read(body) }
    }
}
