import Foundation
import Logging
import ServiceLifecycle

/// Drains the outbox: at start (parts left by an earlier run), whenever the scheduler queues a
/// report, and when a retry comes due. On shutdown, requests in flight finish and everything
/// else stays queued.
final class DeliveryService: Service {
    let state: DaemonState
    let logger: Logger
    let kick: Wakeup
    let policy: RetryPolicy

    init(state: DaemonState, logger: Logger, kick: Wakeup, policy: RetryPolicy) {
        self.state = state
        self.logger = logger
        self.kick = kick
        self.policy = policy
    }

    func run() async throws {
        try await cancelWhenGracefulShutdown {
            while !Task.isCancelled {
                let workspace = await self.state.workspace
                let courier = Courier(
                    store: workspace.store, config: workspace.config, stateDir: workspace.stateDir, logger: self.logger,
                    policy: self.policy)
                do {
                    self.logger.debug("delivering the outbox")
                    try await courier.deliver(reports: nil)
                } catch is CancellationError {
                    break
                }
                // Nothing to do: wait for the scheduler. Parts in flight elsewhere (or left by a
                // process that died) are looked at again soon.
                let waiting = (try? workspace.store.unfinishedDeliveries().isEmpty) == false
                await self.kick.wait(seconds: waiting ? 2 : 60)
            }
        }
    }
}
