/// Everything narrate keeps: what the use cases and the daemon are written against. The SQLite
/// store implements it today; a PostgreSQL store can sit beside it as another module.
public typealias Storage = EntryStore & MetricStore & ReportArchive & Outbox & RunLedger & SlotQueue & MemoryReleasing

/// A store that keeps caches it can let go of while the daemon is idle.
public protocol MemoryReleasing: Sendable {
    func releaseMemory()
}
