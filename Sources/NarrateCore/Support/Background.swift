import Foundation

/// Work started on a thread of its own while the caller goes on; ``value()`` waits for it.
///
/// Why: a command's start is reading the config, opening the store and compiling templates,
/// each a few milliseconds on one core. Those that do not need each other's results run side by
/// side on a machine's second core. A thread, not a task: the callers are synchronous, and
/// libdispatch's pool must not start (see ``QuietExecutor``).
public final class Background<Value: Sendable>: @unchecked Sendable {
    // @unchecked Sendable: `result` is written once by the work's thread and read by `value()`,
    // both with `condition` locked.
    private let condition = NSCondition()
    private var result: Result<Value, any Error>?

    public init(_ name: String, _ work: @escaping @Sendable () throws -> Value) {
        NativeThread.start(name: name) { [self] in
            let outcome = Result { try work() }
            condition.lock()
            result = outcome
            condition.broadcast()
            condition.unlock()
        }
    }

    /// The work's value, or the error it threw, once it is done.
    public func value() throws -> Value {
        condition.lock()
        defer { condition.unlock() }
        while result == nil { condition.wait() }
        return try result!.get()
    }

    /// Waits for the work and drops what it gave: a command that fails meanwhile must not exit
    /// while the work is still inside SQLite or the allocator.
    public func finish() { _ = try? value() }
}
