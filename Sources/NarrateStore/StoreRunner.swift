import Synchronization

/// A store whose connections need a task of their own while it is used (a PostgreSQL pool).
public protocol RunnableStore: Sendable {
    /// Runs until the task is cancelled.
    func run() async
}

/// Runs the stores a process opens, each in a child task of the one task that runs the whole
/// command (`running(_:)` in both executables' `main`): a command opens its store where it
/// builds its context, long after `main` started, and the store's pool still runs inside
/// structured concurrency and ends with the command.
public final class StoreRunner: Sendable {
    public static let shared = StoreRunner()

    private typealias Start = (store: any RunnableStore, started: CheckedContinuation<Void, Never>)
    private let stores: AsyncStream<Start>
    private let continuation: AsyncStream<Start>.Continuation
    private let running = Atomic<Bool>(false)

    init() {
        (stores, continuation) = AsyncStream.makeStream()
    }

    /// Runs `store` until the command ends, returning once its task is about to run it.
    /// Outside ``running(_:)`` (a test that runs its store itself), false.
    @discardableResult
    public func start(_ store: any RunnableStore) async -> Bool {
        guard running.load(ordering: .acquiring) else { return false }
        await withCheckedContinuation { started in
            continuation.yield((store, started))
        }
        return true
    }

    /// Runs `body` with every store started meanwhile running beside it; when `body` returns,
    /// the stores are stopped (their pools closed) and its result returned.
    public func running<T: Sendable>(_ body: @Sendable () async -> T) async -> T {
        running.store(true, ordering: .releasing)
        return await withTaskGroup(of: T?.self) { group in
            group.addTask { [stores] in
                await withDiscardingTaskGroup { runners in
                    for await (store, started) in stores {
                        runners.addTask {
                            started.resume()
                            await store.run()
                        }
                    }
                }
                return nil
            }
            let result = await body()
            group.cancelAll()
            return result
        }
    }
}

/// A store that announces outbox work committed by any process (PostgreSQL's `NOTIFY`), so a
/// daemon's courier wakes for a report another host queued. The SQLite store needs none: the
/// daemon watches its write-ahead log.
public protocol OutboxAnnouncing: Sendable {
    /// Calls `changed` whenever outbox work is committed, until the task is cancelled; a lost
    /// connection is reopened with backoff meanwhile.
    func watchOutbox(_ changed: @escaping @Sendable () -> Void) async
}
