import Foundation

/// The numbers narrate keeps for KPI readings, targets and limits: finite, and within ±10¹²
/// (docs/configuration.md), so that every comparison and every formatted value stays exact
/// enough and nothing can overflow on the way into a report.
public enum MetricBounds {
    public static let range: ClosedRange<Double> = -1e12...1e12

    /// Why `value` cannot be kept, or nil when it can.
    public static func problem(_ value: Double) -> String? {
        guard value.isFinite else { return "\(value) is not a finite number" }
        guard range.contains(value) else {
            return "\(text(value)) is outside the range narrate keeps (\(text(range.lowerBound)) to \(text(range.upperBound)))"
        }
        return nil
    }

    public static func check(_ value: Double) throws {
        if let problem = problem(value) { throw NarrateError(.invalidInput, problem) }
    }

    public static func text(_ value: Double) -> String { String(format: "%g", value) }
}
