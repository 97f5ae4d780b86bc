import Foundation
import NarrateModel
import NarrateConfig
import NarrateReport
import NarrateTargets
import NarrateStore

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

    /// Throws when the store does not answer.
    public func store() async throws -> StoreState {
        let backlog = try await context.store.outboxBacklog()
        return StoreState(backlog: backlog.count, oldest: backlog.oldest, sources: try await context.store.sourceRuns())
    }
}
