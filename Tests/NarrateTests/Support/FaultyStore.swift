import Foundation
import Synchronization
@testable import NarrateModel
@testable import NarrateTOML
@testable import NarrateConfig
@testable import NarrateReport
@testable import NarrateTargets
@testable import NarratePlatform
@testable import NarrateStore

/// The SQLite store with faults on demand: the next `n` calls of a named operation throw
/// "database is locked", as a store under another process's long write would.
final class FaultyStore: Storage {
    let base: SQLiteStore
    private let faults = Mutex<[String: Int]>([:])
    private let failed = Mutex<[String: Int]>([:])

    init(_ base: SQLiteStore) { self.base = base }

    func fail(_ operation: String, times: Int) { faults.withLock { $0[operation] = times } }
    func failures(of operation: String) -> Int { failed.withLock { $0[operation] ?? 0 } }

    private func check(_ operation: String) throws {
        let fails = faults.withLock { faults -> Bool in
            guard let left = faults[operation], left > 0 else { return false }
            faults[operation] = left - 1
            return true
        }
        guard fails else { return }
        failed.withLock { $0[operation, default: 0] += 1 }
        throw NarrateError(.unavailable, "store: database is locked")
    }

    // EntryStore
    func add(_ entry: Entry, now: Date) throws -> Entry { try check("add"); return try base.add(entry, now: now) }
    func entry(_ id: Int64) throws -> Entry? { try base.entry(id) }
    func close(_ id: Int64, as state: Entry.State, note: String?, at: Date) throws -> Entry {
        try base.close(id, as: state, note: note, at: at)
    }
    func entries(from start: Date, to end: Date, persons: [String]?) throws -> [Entry] {
        try check("entries"); return try base.entries(from: start, to: end, persons: persons)
    }
    func followedEntries(openDuring start: Date, _ end: Date, persons: [String]) throws -> [Entry] {
        try base.followedEntries(openDuring: start, end, persons: persons)
    }
    func entryCount() throws -> Int { try base.entryCount() }
    func edit(_ id: Int64, text: String, by person: String, at: Date) throws -> Entry { try base.edit(id, text: text, by: person, at: at) }
    func delete(_ id: Int64, by person: String, at: Date) throws -> Entry { try base.delete(id, by: person, at: at) }
    func undo(by person: String) throws -> (Entry, EntryChange) { try base.undo(by: person) }
    func add(_ checkIn: MoodCheckIn) throws -> MoodCheckIn { try base.add(checkIn) }
    func moods(from start: Date, to end: Date, persons: [String]?) throws -> [MoodCheckIn] {
        try base.moods(from: start, to: end, persons: persons)
    }
    func add(_ absence: Absence) throws -> Absence { try base.add(absence) }
    func absences(overlapping first: LocalDate, _ last: LocalDate) throws -> [Absence] { try base.absences(overlapping: first, last) }
    func removeAbsence(_ id: Int64) throws { try base.removeAbsence(id) }

    // MetricStore
    func record(_ readings: [MetricReading]) throws -> Int { try base.record(readings) }
    func knownKeys(_ keys: [String]) throws -> Set<String> { try base.knownKeys(keys) }
    func recordWithoutReplacing(_ readings: [MetricReading]) throws { try base.recordWithoutReplacing(readings) }
    func reading(kpi: String, at: Date) throws -> MetricReading? { try base.reading(kpi: kpi, at: at) }
    func readings(kpis: [String], from start: Date, to end: Date) throws -> [MetricReading] {
        try base.readings(kpis: kpis, from: start, to: end)
    }
    func recordedReadings(kpis: [String], from start: Date, to end: Date) throws -> [MetricReading] {
        try base.recordedReadings(kpis: kpis, from: start, to: end)
    }
    func deleteReading(kpi: String, at: Date) throws -> MetricReading? { try base.deleteReading(kpi: kpi, at: at) }
    func metricCount() throws -> Int { try base.metricCount() }

    // ReportArchive
    func report(_ id: Int64) throws -> ReportRecord? { try base.report(id) }
    func reports(team: String?, kinds: [String], limit: Int) throws -> [ReportRecord] { try base.reports(team: team, kinds: kinds, limit: limit) }

    // Outbox
    func enqueue(_ report: ReportRecord, parts: [OutboxParts], now: Date) throws -> (ReportRecord, [Delivery]) {
        try check("enqueue"); return try base.enqueue(report, parts: parts, now: now)
    }
    func unfinishedDeliveries(reports: [Int64]?, target: String?) throws -> [Delivery] {
        try check("unfinishedDeliveries"); return try base.unfinishedDeliveries(reports: reports, target: target)
    }
    func unfinishedTargets(reports: [Int64]?) throws -> [String] {
        try check("unfinishedDeliveries"); return try base.unfinishedTargets(reports: reports)
    }
    func deliveries(reports: [Int64]?, states: [Delivery.State]?) throws -> [Delivery] {
        try base.deliveries(reports: reports, states: states)
    }
    func beginSending(_ id: Int64, now: Date) throws -> Bool { try base.beginSending(id, now: now) }
    func finishSent(_ parts: [SentPart]) throws -> [Bool] { try base.finishSent(parts) }
    func finishAttempt(
        _ id: Int64, state: Delivery.State, error: String?, receipt: String?, nextAttemptAt: Date?, route: String?, at: Date
    ) throws {
        try base.finishAttempt(id, state: state, error: error, receipt: receipt, nextAttemptAt: nextAttemptAt, route: route, at: at)
    }
    func requeueAbandoned(now: Date, grace: (String) -> TimeInterval) throws -> Int {
        try check("requeueAbandoned"); return try base.requeueAbandoned(now: now, grace: grace)
    }
    func retryParked(ids: [Int64]?, now: Date) throws -> Int { try base.retryParked(ids: ids, now: now) }

    // RunLedger
    func claim(_ run: Run) throws -> Bool { try check("claim"); return try base.claim(run) }
    func finish(schedule: String, slot: Date, state: Run.State, detail: String?, at: Date) throws {
        try base.finish(schedule: schedule, slot: slot, state: state, detail: detail, at: at)
    }
    func lastRun(schedule: String, state: Run.State?, before: Date?, manual: Bool?) throws -> Run? {
        try check("lastRun"); return try base.lastRun(schedule: schedule, state: state, before: before, manual: manual)
    }
    func runs(since: Date?, teams: [String]?) throws -> [Run] { try base.runs(since: since, teams: teams) }

    func releaseMemory() { base.releaseMemory() }
    var location: String { base.location }

    // SlotQueue
    func claim(_ run: Run, queueing reports: [QueuedReport], now: Date) throws -> [(ReportRecord, [Delivery])]? {
        try check("enqueue"); return try base.claim(run, queueing: reports, now: now)
    }

    // TokenStore, HealthProbe
    func add(_ token: AccessToken) throws -> AccessToken { try base.add(token) }
    func token(hash: String) throws -> AccessToken? { try check("token"); return try base.token(hash: hash) }
    func tokens(of person: String?) throws -> [AccessToken] { try base.tokens(of: person) }
    func revokeTokens(of person: String, id: Int64?, at: Date) throws -> Int { try base.revokeTokens(of: person, id: id, at: at) }
    func touch(_ id: Int64, at: Date) throws { try base.touch(id, at: at) }
    func outboxBacklog() throws -> (count: Int, oldest: Date?) { try check("outboxBacklog"); return try base.outboxBacklog() }
    func firstSight(_ key: String, at: Date, forgettingBefore: Date) throws -> Bool {
        try check("firstSight"); return try base.firstSight(key, at: at, forgettingBefore: forgettingBefore)
    }

    // NoticeLedger
    func claim(_ notice: NoticeRecord, queueing messages: [QueuedReport], now: Date) throws -> Bool {
        try check("claimNotice"); return try base.claim(notice, queueing: messages, now: now)
    }
    func notices(kind: NoticeRecord.Kind?) throws -> [NoticeRecord] { try base.notices(kind: kind) }
    func recordedNotices(_ keys: [String]) throws -> Set<String> { try base.recordedNotices(keys) }
    func lastRoute(target: String, startingWith prefix: String) throws -> String? { try base.lastRoute(target: target, startingWith: prefix) }

    // SourceLedger
    func importEntries(_ items: [SourcedEntry], now: Date) throws -> [Entry] { try base.importEntries(items, now: now) }
    func addDrafts(_ items: [SourcedEntry], now: Date) throws -> Int { try base.addDrafts(items, now: now) }
    func drafts(person: String?, state: Draft.State?) throws -> [Draft] { try base.drafts(person: person, state: state) }
    func confirmDraft(_ id: Int64, text: String?, now: Date) throws -> Entry { try base.confirmDraft(id, text: text, now: now) }
    func discardDraft(_ id: Int64, now: Date) throws -> Draft { try base.discardDraft(id, now: now) }
    func recordSourceRun(_ source: String, at: Date, problems: [String]) throws { try base.recordSourceRun(source, at: at, problems: problems) }
    func sourceRuns() throws -> [(source: String, at: Date, problems: [String])] { try base.sourceRuns() }


    // ResponseCache
    func cached(_ url: String) throws -> (etag: String, body: Data)? { try base.cached(url) }
    func keep(_ url: String, etag: String, body: Data, now: Date) throws { try base.keep(url, etag: etag, body: body, now: now) }
}
