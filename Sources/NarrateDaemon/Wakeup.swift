import Foundation

/// Sleep until a deadline or until someone calls ``signal()``, whichever comes first.
/// A signal sent while nobody waits is kept for the next wait.
actor Wakeup {
    private var waiter: (id: Int, continuation: CheckedContinuation<Void, Never>)?
    private var pending = false
    private var counter = 0

    func signal() {
        if let waiter {
            self.waiter = nil
            waiter.continuation.resume()
        } else {
            pending = true
        }
    }

    /// Returns after `seconds`, on a signal, or when the calling task is cancelled.
    nonisolated func wait(seconds: TimeInterval) async {
        await withTaskCancellationHandler {
            await park(seconds: seconds)
        } onCancel: {
            Task { await self.signal() }
        }
    }

    private func park(seconds: TimeInterval) async {
        if pending || Task.isCancelled {
            pending = false
            return
        }
        counter += 1
        let id = counter
        await withCheckedContinuation { continuation in
            waiter = (id, continuation)
            Task {
                try? await Task.sleep(nanoseconds: UInt64(max(0, seconds) * 1_000_000_000))
                self.expire(id)
            }
        }
    }

    private func expire(_ id: Int) {
        guard let waiter, waiter.id == id else { return }
        self.waiter = nil
        waiter.continuation.resume()
    }
}
