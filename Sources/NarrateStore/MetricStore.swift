import Foundation
import NarrateModel

/// KPI and guardrail readings.
public protocol MetricStore: Sendable {
    /// Records readings all together or not at all. A reading of the same KPI at the same time
    /// as one already kept replaces it (importing a file twice does not double it); returns how
    /// many were replaced.
    @discardableResult func record(_ readings: [MetricReading]) async throws -> Int
    /// The same, except that a reading of the same KPI and time with a different value is
    /// refused, all together: nothing is written and the readings in the way are thrown as a
    /// ``ReadingConflict``. A reading equal to the one kept is left as it is.
    func recordWithoutReplacing(_ readings: [MetricReading]) async throws
    /// Who recorded the reading of `kpi` at `at`, and how; nil when there is none.
    func reading(kpi: String, at: Date) async throws -> MetricReading?
    /// Readings of some KPIs in `[start, end)`, oldest first.
    func readings(kpis: [String], from start: Date, to end: Date) async throws -> [MetricReading]
    /// The same with who recorded each and how (`metric list`); `readings` reads an index alone.
    func recordedReadings(kpis: [String], from start: Date, to end: Date) async throws -> [MetricReading]
    /// Deletes the reading of `kpi` at `at` and returns it; nil when there was none.
    func deleteReading(kpi: String, at: Date) async throws -> MetricReading?
    func metricCount() async throws -> Int
}

/// Readings already kept for the same KPI and time with other values.
public struct ReadingConflict: CategorizedError, Sendable {
    public var kept: [MetricReading]
    public var category: NarrateError.Category { .conflict }

    public init(kept: [MetricReading]) { self.kept = kept }
}
