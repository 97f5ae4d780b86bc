import Glibc

/// Where narrate's blocking waits run: libcurl's multi poll, a daemon service's `poll(2)` on its
/// wake-up pipe, a program's output. Each gets a thread of its own for as long as it blocks, so the executor's
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

extension Blocking {
    /// Reads `descriptor` on a thread of its own until its end, handing each chunk to `chunk`,
    /// then closes it. Not awaited: a program's output is read as it comes, and a child it left
    /// behind may hold the pipe open long after it ended.
    public static func drain(_ descriptor: Int32, name: String, _ chunk: @escaping @Sendable ([UInt8]) -> Void) {
        NativeThread.start(name: name, stackSize: 256 * 1024) {
            var buffer = [UInt8](repeating: 0, count: 65_536)
            while true {
                let count = buffer.withUnsafeMutableBytes { read(descriptor, $0.baseAddress, $0.count) }
                if count > 0 {
                    chunk(Array(buffer[..<count]))
                } else if count == 0 || errno != EINTR {
                    break
                }
            }
            close(descriptor)
        }
    }
}
