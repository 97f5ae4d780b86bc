import Foundation
import Logging
import ServiceLifecycle

/// Drains the outbox: at start (parts left by an earlier run), whenever the scheduler queues a
/// report, and when a retry comes due. On shutdown, requests in flight finish and everything
/// else stays queued. A store error is logged and retried with backoff; it never ends the group.
final class DeliveryService: Service {
    let state: DaemonState
    let logger: Logger
    let kick: Wakeup

    init(state: DaemonState, logger: Logger, kick: Wakeup) {
        self.state = state
        self.logger = logger
        self.kick = kick
    }

    func run() async throws {
        try await cancelWhenGracefulShutdown {
            var failures = 0
            while !Task.isCancelled {
                let context = await self.state.context
                var pause: TimeInterval = 60
                do {
                    self.logger.debug("delivering the outbox")
                    try await context.courier.deliver(reports: nil)
                    failures = 0
                    // Parts in flight elsewhere (or left by a process that died) are looked at again soon.
                    if try !context.store.unfinishedDeliveries(reports: nil, target: nil).isEmpty { pause = 2 }
                } catch is CancellationError {
                    break
                } catch {
                    failures += 1
                    pause = Backoff.seconds(afterFailures: failures)
                    self.logger.error("delivery: \(context.redactor.redact("\(error)")); trying again in \(Int(pause)) s")
                }
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
