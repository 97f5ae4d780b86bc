import Foundation
import NarrateModel
import NarrateConfig
import NarrateReport
import NarrateTargets
import NarrateStore
import NarratePlatform

/// What `/healthz` reports of the store: that it answers, the outbox's backlog, and how each
/// source's last run went.
public struct Health: Sendable {
    let context: AppContext

    public struct StoreState: Sendable {
        /// Parts not sent yet, and when the oldest of them was queued.
        public var backlog: Int
        public var oldest: Date?
        public var sources: [(source: String, at: Date, problems: [String])]
    }

    /// Throws when the store does not answer, or not within `seconds`: a database that is down
    /// or failing over makes a query wait for a connection, and a health check that waited with
    /// it would tell a load balancer nothing.
    public func store(within seconds: Double = 5) async throws -> StoreState {
        let store = context.store
        return try await withThrowingTaskGroup(of: StoreState?.self) { group in
            group.addTask {
                let backlog = try await store.outboxBacklog()
                return StoreState(backlog: backlog.count, oldest: backlog.oldest, sources: try await store.sourceRuns())
            }
            group.addTask {
                try await Pause.sleep(seconds: seconds)
                return nil
            }
            defer { group.cancelAll() }
            guard let state = try await group.next() ?? nil else {
                throw NarrateError(.unavailable, "the store did not answer within \(Int(seconds)) s")
            }
            return state
        }
    }
}
