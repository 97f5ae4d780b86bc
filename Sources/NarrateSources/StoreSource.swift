import Foundation
import NarrateModel
import NarrateReport
import NarrateStore

/// The store as a source: entries, check-ins and readings people recorded with narrate.
public struct StoreSource: Source {
    public let store: any EntryStore & MetricStore

    public init(store: any EntryStore & MetricStore) {
        self.store = store
    }

    public var id: String { "store" }

    public func gather(_ request: GatherRequest) async throws -> SourceBatch {
        let period = request.period
        // Everything written in the period; from the four periods before it only the blockers and
        // next actions the signals follow, which the second query brings.
        var entries = try await store.entries(from: period.start, to: period.end, persons: request.persons)
        let known = Set(entries.map(\.id))
        entries += try await store.followedEntries(openDuring: request.lookbackStart, period.end, persons: request.persons)
            .filter { !known.contains($0.id) }
        let days = period.days
        let members = Set(request.persons)
        var absences: [Absence] = []
        if let first = days.first {
            absences = try await store.absences(overlapping: first, days.last ?? first).filter { members.contains($0.person) }
        }
        let moods = try await store.moods(from: request.moodsStart ?? period.start, to: period.end, persons: request.persons)
        let readings = request.kpis.isEmpty ? [] : try await store.readings(kpis: request.kpis, from: request.readingsStart, to: period.end)
        return SourceBatch(entries: entries, absences: absences, moods: moods, readings: readings)
    }
}
