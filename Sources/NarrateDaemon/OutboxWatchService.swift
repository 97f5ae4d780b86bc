import NarrateStore
import ServiceLifecycle

/// Wakes the delivery service when another process commits outbox work to a shared store
/// (PostgreSQL's NOTIFY): a `narrate now` on another host, another instance's retry.
struct OutboxWatchService: Service {
    let store: any OutboxAnnouncing
    let deliveries: Wakeup

    func run() async throws {
        let deliveries = self.deliveries
        await cancelWhenGracefulShutdown {
            await store.watchOutbox { deliveries.signal() }
        }
    }
}
