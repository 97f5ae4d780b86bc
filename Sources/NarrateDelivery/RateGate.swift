import Foundation
import NarrateModel
import NarrateTargets
import NarratePlatform

/// Spaces out messages to one target: at most `rate` a second. The interval counts from the end
/// of the previous request, so the platform sees the messages arrive at least that far apart
/// even when one request was slow to get there.
actor RateGate {
    private var last: [String: ContinuousClock.Instant] = [:]

    func wait(for target: String, rate: Double) async {
        guard let previous = last[target] else { return }
        let earliest = previous + .seconds(1 / max(rate, 0.001))
        if earliest > .now {
            try? await Pause.sleep(until: earliest)
        }
    }

    /// A request to `target` has finished.
    func finished(_ target: String) {
        last[target] = .now
    }
}
