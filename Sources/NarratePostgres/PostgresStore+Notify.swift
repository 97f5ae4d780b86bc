import Foundation
import NarratePlatform
import NarrateStore
import PostgresNIO

extension PostgresStore: OutboxAnnouncing {
    /// The channel every transaction that queues outbox work notifies.
    static let outboxChannel = "narrate_outbox"

    /// LISTENs on a connection of its own; a notification wakes the courier. When the
    /// connection is lost (a failover), it is reopened after 1, 2, 4 … 60 s; when the task is
    /// cancelled (the daemon stops), it is closed.
    public func watchOutbox(_ changed: @escaping @Sendable () -> Void) async {
        var failures = 0
        while !Task.isCancelled {
            do {
                let connection = try await connections.dedicated()
                try await withTaskCancellationHandler {
                    try await connection.listen(on: Self.outboxChannel) { notifications in
                        failures = 0
                        // Whatever was committed while no one listened is looked at now.
                        changed()
                        for try await _ in notifications { changed() }
                    }
                } onCancel: {
                    connection.close().whenComplete { _ in }
                }
                try? await connection.close()
            } catch {
                if Task.isCancelled { return }
                failures += 1
                let wait = min(60, pow(2, Double(failures - 1)))
                logger.warning("store: listening for outbox work failed (\(Self.describe(error))); again in \(Int(wait)) s")
                try? await Pause.sleep(seconds: wait)
            }
        }
    }
}
