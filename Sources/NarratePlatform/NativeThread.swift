#if canImport(Glibc)
import Glibc
#endif

/// A detached POSIX thread for the executor's and the timer's loops.
///
/// Why not Foundation's `Thread`: each one registered itself in Foundation's thread tables and
/// its dictionary, and at start that was a tenth of `narrate --version`; these threads need
/// neither. ``isWorker`` replaces the thread dictionary the executor's threads were marked in.
enum NativeThread {
    /// Starts `body` on a new detached thread named `name` (at most 15 bytes are kept).
    static func start(name: String, stackSize: Int? = nil, worker: Bool = false, _ body: @escaping @Sendable () -> Void) {
        var attributes = pthread_attr_t()
        pthread_attr_init(&attributes)
        defer { pthread_attr_destroy(&attributes) }
        pthread_attr_setdetachstate(&attributes, Int32(PTHREAD_CREATE_DETACHED))
        if let stackSize { pthread_attr_setstacksize(&attributes, stackSize) }
        let context = Unmanaged.passRetained(Start(body: body, name: String(name.utf8.prefix(15))!, worker: worker)).toOpaque()
        var thread = pthread_t()
        let result = pthread_create(&thread, &attributes, { context in
            let start = Unmanaged<Start>.fromOpaque(context!).takeRetainedValue()
            if start.worker { pthread_setspecific(NativeThread.workerKey, UnsafeRawPointer(bitPattern: 1)) }
            NativeThread.name(start.name)
            start.body()
            return nil
        }, context)
        // Only when the process is out of threads or memory, where narrate cannot go on.
        precondition(result == 0, "narrate could not start a thread (\(result))")
    }

    /// Names the calling thread: names show in `top -H` and in a debugger. Through the kernel's
    /// documented `/proc/thread-self/comm` (proc(5)), since Swift's Glibc module does not declare
    /// `pthread_setname_np` (a GNU extension). A kernel without it leaves the name as it was.
    private static func name(_ name: String) {
        let descriptor = open("/proc/thread-self/comm", O_WRONLY | O_CLOEXEC)
        guard descriptor >= 0 else { return }
        defer { close(descriptor) }
        _ = name.utf8CString.withUnsafeBufferPointer { write(descriptor, $0.baseAddress, $0.count - 1) }
    }

    /// Whether the calling thread was started with `worker: true`.
    static var isWorker: Bool { pthread_getspecific(workerKey) != nil }

    private static let workerKey: pthread_key_t = {
        var key = pthread_key_t()
        pthread_key_create(&key, nil)
        return key
    }()

    private final class Start {
        let body: @Sendable () -> Void
        let name: String
        let worker: Bool
        init(body: @escaping @Sendable () -> Void, name: String, worker: Bool) {
            self.body = body
            self.name = name
            self.worker = worker
        }
    }
}
