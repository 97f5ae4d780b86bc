import NarrateStore
import Synchronization

/// Records sent parts (and claims the first part of each target's run) for the targets a
/// courier delivers at once, several to a transaction.
///
/// Why: each part sent was one write of its own (its result and the claim of the next part),
/// and with a hundred targets in flight those commits, each rewriting the same index pages,
/// were the largest part of delivering. A target's task still waits for its own part's write
/// before it sends the next one, so a crash can re-send at most the part in flight per target,
/// as before; only the writes of different targets are combined.
///
/// The first task to arrive writes what is waiting, then what arrived meanwhile, until nothing
/// is; the others are suspended, not holding a thread, until their part is written.
final class SentParts: Sendable {
    private struct Waiting: Sendable {
        var part: SentPart
        var continuation: CheckedContinuation<Bool?, any Error>
    }

    private struct State: Sendable {
        var waiting: [Waiting] = []
        var writing = false
    }

    private let outbox: any Outbox
    private let state = Mutex(State())
    /// How many writes and parts so far (for tests and the debug log).
    let writes = Atomic<Int>(0)
    let parts = Atomic<Int>(0)

    init(outbox: any Outbox) {
        self.outbox = outbox
    }

    /// Records `part` as sent (unless it is only a claim) and claims its `next`; true when `next` was claimed.
    func record(_ part: SentPart) async throws -> Bool {
        while true {
            let leads = state.withLock { state in
                if state.writing { return false }
                state.writing = true
                return true
            }
            if leads { return try await lead(with: part) }
            // Nil when the writer finished between the two looks: then this task writes.
            let claimed: Bool? = try await withCheckedThrowingContinuation { continuation in
                let queued = state.withLock { state in
                    guard state.writing else { return false }
                    state.waiting.append(Waiting(part: part, continuation: continuation))
                    return true
                }
                if !queued { continuation.resume(returning: nil) }
            }
            if let claimed { return claimed }
        }
    }

    /// Parts waiting now, for tests.
    var waitingCount: Int { state.withLock { $0.waiting.count } }

    /// Writes `part` with what is waiting, then what arrived meanwhile, until nothing is.
    private func lead(with part: SentPart) async throws -> Bool {
        var own: Result<Bool, any Error>?
        while true {
            let batch = state.withLock { state in
                let batch = state.waiting
                state.waiting = []
                if batch.isEmpty && own != nil { state.writing = false }
                return batch
            }
            let parts = (own == nil ? [part] : []) + batch.map(\.part)
            if parts.isEmpty { break }
            writes.add(1, ordering: .relaxed)
            self.parts.add(parts.count, ordering: .relaxed)
            do {
                var claimed = try await outbox.finishSent(parts)[...]
                if own == nil { own = .success(claimed.removeFirst()) }
                for (waiting, claimed) in zip(batch, claimed) { waiting.continuation.resume(returning: claimed) }
            } catch {
                if own == nil { own = .failure(error) }
                for waiting in batch { waiting.continuation.resume(throwing: error) }
            }
        }
        return try own!.get()
    }
}
