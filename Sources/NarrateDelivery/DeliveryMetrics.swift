import Metrics

/// Delivery counts and latency through the swift-metrics facade (no-ops until the daemon
/// bootstraps a backend): parts sent, retried and parked per target kind, and how long each
/// webhook request took.
enum DeliveryMetrics {
    enum Outcome: String { case sent, retried, parked }

    static func part(kind: String, _ outcome: Outcome) {
        Counter(label: "narrate_parts_total", dimensions: [("kind", kind), ("outcome", outcome.rawValue)]).increment()
    }

    static func latency(kind: String, _ duration: Duration) {
        let (seconds, attoseconds) = duration.components
        Timer(label: "narrate_delivery_seconds", dimensions: [("kind", kind)])
            .recordNanoseconds(seconds * 1_000_000_000 + attoseconds / 1_000_000_000)
    }
}
