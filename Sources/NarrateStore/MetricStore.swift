import Foundation
import NarrateCore

/// KPI and guardrail readings.
public protocol MetricStore: Sendable {
    /// Records readings all together or not at all.
    func record(_ readings: [MetricReading]) throws
    /// Readings of some KPIs in `[start, end)`, oldest first.
    func readings(kpis: [String], from start: Date, to end: Date) throws -> [MetricReading]
    func metricCount() throws -> Int
}
