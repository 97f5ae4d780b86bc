import Foundation
import NarrateModel
import NarrateConfig
import NarrateReport
import NarrateTargets
import NarrateStore

/// KPI and guardrail readings, and who may record them.
///
/// A reading moves a report's verdicts, so not everyone may write one: the KPI's team members,
/// its owner, the team's manager and admins. A reading already kept for the same KPI and time
/// is replaced only by an admin (or the shell that owns the store file); anyone else's
/// different value is refused, so a breach cannot be overwritten quietly. Every reading keeps
/// who recorded it and how.
public struct Metrics: Sendable {
    let context: AppContext

    /// A reading may be dated this far ahead (a clock a little fast, a time zone mixed up);
    /// beyond it, it would stand for a period that has not come.
    public static let futureAllowance: TimeInterval = 86_400

    /// Records one reading.
    public func record(
        _ kpiID: String, value: Double, at: Date? = nil, by writer: Requester, origin: MetricReading.Origin
    ) async throws -> MetricReading {
        let kpi = try context.config.requireKPI(kpiID)
        try MetricBounds.check(value)
        try authorize(writer, kpi)
        let now = context.clock.now()
        // Whole seconds: a reading is listed, and deleted, by the second it was taken at.
        let time = Date(timeIntervalSince1970: (at ?? now).timeIntervalSince1970.rounded(.down))
        try Self.checkTime(time, now: now)
        let reading = MetricReading(kpi: kpi.id, value: value, at: time, author: writer.name, origin: origin)
        try await write([reading], by: writer)
        return reading
    }

    /// Imports a CSV of readings (`kpi,value,at`): all rows or none. `file` names it in messages.
    /// Returns how many rows were imported and how many of them replaced a reading of the same
    /// KPI and time.
    public func importCSV(_ text: String, file: String, by writer: Requester) async throws -> (imported: Int, replaced: Int) {
        let now = context.clock.now()
        var readings = try MetricCSV.parse(text, file: file, config: context.config, now: now)
        for kpi in Set(readings.map(\.kpi)).sorted() { try authorize(writer, try context.config.requireKPI(kpi)) }
        let late = readings.filter { $0.at.timeIntervalSince(now) > Self.futureAllowance }
        if let first = late.first {
            throw NarrateError(
                .invalidInput,
                "\(file): \(late.count) reading\(late.count == 1 ? " is" : "s are") dated more than a day ahead (the first: \(first.kpi) at \(time(first)))\nnothing was imported from \(file)")
        }
        for index in readings.indices {
            readings[index].author = writer.name
            readings[index].origin = .csv
        }
        let replaced = try await write(readings, by: writer)
        context.logger.info("imported \(readings.count) readings from \(file), \(replaced) replaced")
        return (readings.count, replaced)
    }

    /// Readings recorded since `since` of `kpis` (every KPI the reader may see when empty),
    /// with who recorded each, oldest first. Those who may record a KPI's readings may list them.
    public func list(_ kpis: [String], since: Date, by reader: Requester) async throws -> [MetricReading] {
        let chosen = try kpis.isEmpty ? context.config.kpis.filter { mayRecord(reader, $0) } : kpis.map {
            let kpi = try context.config.requireKPI($0)
            try authorize(reader, kpi)
            return kpi
        }
        guard !chosen.isEmpty else { return [] }
        let end = context.clock.now().addingTimeInterval(Self.futureAllowance + 1)
        return try await context.store.recordedReadings(kpis: chosen.map(\.id), from: since, to: end)
    }

    /// Deletes the reading of `kpiID` at `at`: a wrong one, which `record` could only overwrite at
    /// the same instant. Its author may delete it, and admins and the store's owner any; a
    /// breach another person measured cannot be taken out quietly. Logged with its value.
    public func delete(_ kpiID: String, at: Date, by writer: Requester) async throws -> MetricReading {
        let kpi = try context.config.requireKPI(kpiID)
        try authorize(writer, kpi)
        // The second listed: a reading kept before times were whole seconds has a fraction.
        guard let kept = try await context.store.recordedReadings(kpis: [kpi.id], from: at, to: at.addingTimeInterval(1)).first else {
            throw NarrateError(.notFound, "\(kpi.id) has no reading at \(TimeText.iso(at, in: context.config.zone(ofTeam: kpi.team)))")
        }
        guard writer.isTrusted || kept.author == writer.name else {
            let by = kept.author.map { "\($0) recorded it" } ?? "it has no recorded author"
            throw NarrateError(.forbidden, "\(by); only its author or an admin may delete it")
        }
        guard let deleted = try await context.store.deleteReading(kpi: kpi.id, at: kept.at) else {
            throw NarrateError(.notFound, "\(kpi.id) has no reading at \(time(kept))")
        }
        context.logger.notice("\(writer.name) deleted the reading \(kpi.id) = \(MetricBounds.text(deleted.value)) at \(time(deleted))")
        return deleted
    }

    /// Whether `writer` may record readings of `kpi`: its team's members, its owner, the team's
    /// manager, admins and the store's owner.
    public func mayRecord(_ writer: Requester, _ kpi: KPI) -> Bool {
        guard case .person(let caller) = writer else { return true }
        if caller.isAdmin || kpi.owner == caller.person.id { return true }
        guard let team = context.config.team(kpi.team) else { return false }
        return team.members.contains(caller.person.id) || team.manager == caller.person.id
    }

    func authorize(_ writer: Requester, _ kpi: KPI) throws {
        guard !mayRecord(writer, kpi) else { return }
        let team = context.config.team(kpi.team)?.name ?? kpi.team
        throw NarrateError(
            .forbidden,
            "only \(team)'s members, its manager, the KPI's owner or an admin may record \(kpi.id)")
    }

    /// A reading's time as messages show it: in its KPI's team's zone.
    func time(_ reading: MetricReading) -> String {
        TimeText.iso(reading.at, in: context.config.zone(ofTeam: context.config.kpi(reading.kpi)?.team ?? ""))
    }

    static func checkTime(_ time: Date, now: Date) throws {
        guard time.timeIntervalSince(now) <= futureAllowance else {
            throw NarrateError(.invalidInput, "a reading cannot be dated more than a day ahead; record it when it is measured")
        }
    }

    /// Writes readings: replacing what is kept when the writer may, else refusing any
    /// different value already kept for the same KPI and time. Returns how many were replaced.
    @discardableResult
    func write(_ readings: [MetricReading], by writer: Requester) async throws -> Int {
        if writer.isTrusted { return try await context.store.record(readings) }
        do {
            try await context.store.recordWithoutReplacing(readings)
            return 0
        } catch let conflict as ReadingConflict {
            let first = conflict.kept[0]
            let by = first.author.map { " (recorded by \($0))" } ?? ""
            throw NarrateError(
                .conflict,
                "\(first.kpi) already has \(MetricBounds.text(first.value)) at \(time(first))\(by); only an admin may replace a reading"
                    + (conflict.kept.count > 1 ? " (\(conflict.kept.count) readings in the way)" : ""))
        }
    }
}
