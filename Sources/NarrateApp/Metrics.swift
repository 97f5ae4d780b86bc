import Foundation
import NarrateCore
import NarrateStore

/// KPI and guardrail readings.
public struct Metrics: Sendable {
    let context: AppContext

    /// Records one reading.
    public func record(_ kpiID: String, value: Double, at: Date? = nil) throws -> MetricReading {
        let kpi = try context.config.requireKPI(kpiID)
        try MetricBounds.check(value)
        let reading = MetricReading(kpi: kpi.id, value: value, at: at ?? context.clock.now())
        try context.store.record([reading])
        return reading
    }

    /// Imports a CSV of readings (`kpi,value,at`): all rows or none. `file` names it in messages.
    /// Returns how many rows were imported and how many of them replaced a reading of the same
    /// KPI and time.
    public func importCSV(_ text: String, file: String) throws -> (imported: Int, replaced: Int) {
        let readings = try MetricCSV.parse(text, file: file, config: context.config, now: context.clock.now())
        let replaced = try context.store.record(readings)
        context.logger.info("imported \(readings.count) readings from \(file), \(replaced) replaced")
        return (readings.count, replaced)
    }
}
