import Foundation

extension Workspace {
    /// Records one KPI reading (`narrate metric record`).
    public func recordMetric(_ kpiID: String, value: String, at: String? = nil, now: Date = Date()) throws
        -> MetricReading
    {
        let kpi = try config.requireKPI(kpiID)
        guard let number = Double(value.trimmingCharacters(in: .whitespaces)), number.isFinite else {
            throw NarrateError("\"\(value)\" is not a number")
        }
        let zone = config.zone(ofTeam: kpi.team)
        let time = try at.map { try TimeText.parse($0, zone: zone, now: now) } ?? now
        let reading = MetricReading(kpi: kpi.id, value: number, at: time)
        try store.record([reading])
        return reading
    }

    /// Imports a CSV of readings (`kpi,value,at`): all rows or none.
    public func importMetrics(file: String, now: Date = Date()) throws -> Int {
        guard let data = FileManager.default.contents(atPath: file) else {
            throw NarrateError("cannot read \(file)")
        }
        guard let text = String(data: data, encoding: .utf8) else {
            throw NarrateError("\(file) is not UTF-8 text")
        }
        let readings = try MetricCSV.parse(text, file: file, config: config, now: now)
        try store.record(readings)
        logger.info("imported \(readings.count) readings from \(file)")
        return readings.count
    }
}
