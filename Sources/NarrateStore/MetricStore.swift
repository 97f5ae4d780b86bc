import Foundation
import NarrateCore

/// KPI and guardrail readings.
public protocol MetricStore: Sendable {
    /// Records readings all together or not at all. A reading of the same KPI at the same time
    /// as one already kept replaces it (importing a file twice does not double it); returns how
    /// many were replaced.
    @discardableResult func record(_ readings: [MetricReading]) throws -> Int
    /// Readings of some KPIs in `[start, end)`, oldest first.
    func readings(kpis: [String], from start: Date, to end: Date) throws -> [MetricReading]
    /// Per KPI (of `kpis`, or every KPI with readings when nil): the lowest and highest reading
    /// in `[start, end)` and how many there are.
    func readingRanges(kpis: [String]?, from start: Date, to end: Date) throws -> [String: (low: Double, high: Double, count: Int)]
    func metricCount() throws -> Int
}
