import Foundation

/// Everything narrate keeps: what the use cases and the daemon are written against. The SQLite
/// store implements it today; a PostgreSQL store can sit beside it as another module.
public typealias Storage = EntryStore & MetricStore & ReportArchive & Outbox & RunLedger & SlotQueue & TokenStore & NoticeLedger & SourceLedger & ResponseCache & MemoryReleasing
    & HealthProbe & ReplayLedger

/// A store that keeps caches it can let go of while the daemon is idle.
public protocol MemoryReleasing: Sendable {
    func releaseMemory()
}

/// What `/healthz` asks of the store.
public protocol HealthProbe: Sendable {
    /// Where the store is, for the log: a file's path, a database's URL without its password.
    var location: String { get }
    /// Parts waiting to be sent (pending or being sent), and the oldest one's creation time.
    func outboxBacklog() async throws -> (count: Int, oldest: Date?)
}
