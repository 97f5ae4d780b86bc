/// Where narrate's blocking waits run: libcurl's multi poll, a daemon service's `poll(2)` on its
/// wake-up pipe. Each gets a thread of its own for as long as it blocks, so the executor's
/// threads (``QuietExecutor``) only ever run work, and nothing waits on libdispatch's pool.
/// Together with ``Pause`` (sleeps), this is every thread narrate starts besides the executor's.
public enum Blocking {
    /// Runs `body` on a new thread named `name` (at most 15 bytes are kept) and returns what it
    /// returned once it is done. `stackSize` for a body that needs little (a poll loop).
    public static func run<T: Sendable>(name: String, stackSize: Int? = nil, _ body: @escaping @Sendable () -> T) async -> T {
        await withCheckedContinuation { continuation in
            NativeThread.start(name: name, stackSize: stackSize) { continuation.resume(returning: body()) }
        }
    }
}
