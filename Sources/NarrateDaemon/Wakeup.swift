import Foundation
import NarratePlatform
#if canImport(Glibc)
import Glibc
#endif

/// Sleep until a deadline or until someone calls ``signal()``, whichever comes first. A signal
/// sent while nobody waits is kept for the next wait.
///
/// The wait blocks a thread of its own in `poll(2)` on a pipe, so an idle daemon is not
/// woken at all between its deadlines: Swift's `Task.sleep` on Linux wakes the process about
/// once a second through libdispatch. Sleeps are rare (one per scheduler tick or outbox pass),
/// so a short-lived thread per wait costs nothing that matters.
///
/// Given a file to watch, a change to it (inotify) ends the wait too: the delivery service
/// watches the store's write-ahead log, so parts another process queues go out at once
/// without polling.
final class Wakeup: Sendable {
    /// The pipe's read end, which `poll` watches, and its write end, which a signal writes a byte to.
    private let descriptor: Int32
    private let writer: Int32
    /// An inotify descriptor watching a file, or -1.
    private let watcher: Int32

    init(watching file: String? = nil) {
        var ends: [Int32] = [-1, -1]
        precondition(pipe(&ends) == 0, "pipe failed: \(String(cString: strerror(errno)))")
        for end in ends {
            _ = fcntl(end, F_SETFL, fcntl(end, F_GETFL) | O_NONBLOCK)
            _ = fcntl(end, F_SETFD, FD_CLOEXEC)
        }
        (descriptor, writer) = (ends[0], ends[1])
        var watcher: Int32 = -1
        if let file {
            watcher = inotify_init1(Int32(IN_CLOEXEC) | Int32(IN_NONBLOCK))
            if watcher >= 0 && inotify_add_watch(watcher, file, UInt32(IN_MODIFY)) < 0 {
                close(watcher)
                watcher = -1
            }
        }
        self.watcher = watcher
    }

    deinit {
        close(descriptor)
        close(writer)
        if watcher >= 0 { close(watcher) }
    }

    /// Wakes the current wait, or the next one if nobody waits.
    func signal() {
        // A full pipe already holds a signal: the byte that does not fit is not needed.
        var byte: UInt8 = 1
        _ = write(writer, &byte, 1)
    }

    /// Returns after `seconds`, on a signal, or when the calling task is cancelled.
    func wait(seconds: TimeInterval) async {
        let (descriptor, watcher) = (self.descriptor, self.watcher)
        let milliseconds = Int32(clamping: Int64((max(0, seconds) * 1_000).rounded(.up)))
        await withTaskCancellationHandler {
            await Blocking.run(name: "narrate-sleep", stackSize: 64 * 1024) {
                var entries = [pollfd(fd: descriptor, events: Int16(POLLIN), revents: 0)]
                if watcher >= 0 { entries.append(pollfd(fd: watcher, events: Int16(POLLIN), revents: 0)) }
                while poll(&entries, nfds_t(entries.count), milliseconds) < 0 && errno == EINTR {}
                // Consume what woke us: the signal bytes, the file's change events.
                var buffer = [UInt8](repeating: 0, count: 4096)
                for entry in entries where entry.revents & Int16(POLLIN) != 0 {
                    while read(entry.fd, &buffer, buffer.count) > 0 {}
                }
            }
        } onCancel: {
            signal()
        }
    }
}
