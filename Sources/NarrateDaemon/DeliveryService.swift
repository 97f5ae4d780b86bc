import Foundation
import Logging
import NarrateModel
import ServiceLifecycle

/// Drains the outbox: at start (parts left by an earlier run), whenever the scheduler queues a
/// report, and when a retry comes due. On shutdown, requests in flight finish and everything
/// else stays queued. A store error is logged and retried with backoff; it never ends the group.
final class DeliveryService: Service {
    let state: DaemonState
    let logger: Logger
    let kick: Wakeup

    /// How long an idle delivery service sleeps when nothing wakes it (a day).
    static let idleSleep: TimeInterval = 86_400

    init(state: DaemonState, logger: Logger, kick: Wakeup) {
        self.state = state
        self.logger = logger
        self.kick = kick
    }

    func run() async throws {
        await cancelWhenGracefulShutdown {
            var failures = 0
            while !Task.isCancelled {
                let context = await self.state.context
                // Nothing queued: sleep until the scheduler queues a report or another process
                // writes to the store (the kick watches its write-ahead log).
                var pause: TimeInterval = Self.idleSleep
                do {
                    self.logger.debug("delivering the outbox")
                    try await context.courier.deliver(reports: nil)
                    failures = 0
                    let outstanding = try await context.deliveries.outstanding()
                    let now = context.clock.now()
                    if outstanding.sending {
                        // In flight elsewhere (or left by a process that died): looked at again soon.
                        pause = 2
                    } else if let due = outstanding.nextDue {
                        pause = max(0.05, context.clock.realSeconds(due.timeIntervalSince(now)))
                    }
                } catch where error is CancellationError || Task.isCancelled {
                    break
                } catch {
                    failures += 1
                    pause = Backoff.seconds(afterFailures: failures)
                    self.logger.error("delivery: \(context.redactor.redact("\(error)")); trying again in \(Int(pause)) s")
                }
                // Idle for a while: the store's caches go back to the system.
                if pause > 60 { context.store.releaseMemory() }
                await self.kick.wait(seconds: pause)
            }
        }
    }
}

/// How long a service waits after its n-th failure in a row: 1, 2, 4 … seconds, at most 5 minutes.
enum Backoff {
    static func seconds(afterFailures failures: Int) -> TimeInterval {
        min(300, pow(2, Double(max(0, failures - 1))))
    }
}
