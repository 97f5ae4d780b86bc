import Foundation
import Testing
@testable import NarrateModel
@testable import NarrateStore

/// What every store promises (the protocols' contract), run against each store: the SQLite file
/// and, where a cluster runs, PostgreSQL. The exactly-once tests use two handles on one store, as
/// two instances would.
@Suite struct StoreContractTests {
    let slot = Date(timeIntervalSince1970: 1_800_000_000)

    func record(_ text: String = "x") -> ReportRecord {
        ReportRecord(team: "t", schedule: "weekly", periodStart: slot, periodEnd: slot.addingTimeInterval(86_400), markdown: text, createdAt: slot)
    }

    @Test(arguments: StoreKind.available)
    func entriesRoundTripExactlyAndInTimeOrder(_ kind: StoreKind) async throws {
        try await kind.withStore { store in
            let at = Date(timeIntervalSince1970: 1_800_000_123.456789)
            var entry = Entry(person: "alice", kind: .blocker, text: "db 等法務", stage: .middle, kpi: "lead-time", at: at)
            let stored = try await store.add(entry, now: at)
            entry.id = stored.id
            #expect(stored == entry)
            #expect(try await store.entry(stored.id) == stored)
            let earlier = try await store.add(Entry(person: "bob", kind: .progress, text: "p", at: at.addingTimeInterval(-60)), now: at)
            #expect(try await store.entries(from: .distantPast, to: .distantFuture).map(\.id) == [earlier.id, stored.id])
            #expect(try await store.entries(from: .distantPast, to: .distantFuture, persons: ["bob"]).map(\.id) == [earlier.id])
            #expect(try await store.entries(from: at, to: .distantFuture, persons: nil).map(\.id) == [stored.id])
            #expect(try await store.entryCount() == 2)
        }
    }

    /// The store closes what is open, once: of eight closers on two handles, one wins.
    @Test(arguments: StoreKind.available)
    func closingIsACompareAndSetOnOpen(_ kind: StoreKind) async throws {
        try await kind.withStores { store, other in
            let blocker = try await store.add(Entry(person: "a", kind: .blocker, text: "b", at: slot), now: slot)
            await #expect(throws: NarrateError(.notFound, "no entry 999")) { try await store.close(999, as: .resolved, note: nil, at: slot) }
            let resolved = try await store.close(blocker.id, as: .resolved, note: "fixed", at: slot)
            #expect(resolved.state == .resolved && resolved.note == "fixed" && resolved.closedAt == slot)
            await #expect(throws: EntryClosed.self) { try await other.close(blocker.id, as: .dropped, note: nil, at: slot) }
            #expect(try await other.entry(blocker.id)?.state == .resolved)
            let next = try await store.add(Entry(person: "a", kind: .next, text: "n", at: slot), now: slot)
            let outcomes = await withTaskGroup(of: Bool.self) { group in
                for index in 0..<8 {
                    let handle = index % 2 == 0 ? store : other
                    group.addTask { (try? await handle.close(next.id, as: .done, note: "closer \(index)", at: Date())) != nil }
                }
                return await group.reduce(into: [Bool]()) { $0.append($1) }
            }
            #expect(outcomes.filter { $0 }.count == 1)
        }
    }

    @Test(arguments: StoreKind.available)
    func followedEntriesAreTheOpenAndThoseClosedInThePeriod(_ kind: StoreKind) async throws {
        try await kind.withStore { store in
            let week = slot.addingTimeInterval(-7 * 86_400)
            let open = try await store.add(Entry(person: "a", kind: .blocker, text: "open", at: week.addingTimeInterval(-86_400)), now: slot)
            let closedBefore = try await store.add(Entry(person: "a", kind: .next, text: "old", at: week.addingTimeInterval(-86_400)), now: slot)
            try await store.close(closedBefore.id, as: .done, note: nil, at: week.addingTimeInterval(-3_600))
            let closedDuring = try await store.add(Entry(person: "a", kind: .blocker, text: "during", at: week.addingTimeInterval(-86_400)), now: slot)
            try await store.close(closedDuring.id, as: .resolved, note: nil, at: week.addingTimeInterval(3_600))
            _ = try await store.add(Entry(person: "a", kind: .progress, text: "not followed", at: week), now: slot)
            _ = try await store.add(Entry(person: "b", kind: .blocker, text: "someone else", at: week), now: slot)
            let followed = try await store.followedEntries(openDuring: week, slot, persons: ["a"])
            #expect(Set(followed.map(\.id)) == [open.id, closedDuring.id])
        }
    }

    @Test(arguments: StoreKind.available)
    func editDeleteAndUndoKeepTheOldText(_ kind: StoreKind) async throws {
        try await kind.withStore { store in
            let entry = try await store.add(Entry(person: "a", kind: .progress, text: "first", at: slot), now: slot)
            #expect(try await store.edit(entry.id, text: "second", by: "a", at: slot).text == "second")
            #expect(try await store.delete(entry.id, by: "a", at: slot).text == "second")
            #expect(try await store.entry(entry.id) == nil)
            #expect(try await store.entryCount() == 0)
            let (restored, change) = try await store.undo(by: "a")
            #expect(change.action == .delete && restored.text == "second")
            let (reverted, edit) = try await store.undo(by: "a")
            #expect(edit.action == .edit && edit.oldText == "first" && reverted.text == "first")
            await #expect(throws: NarrateError.self) { try await store.undo(by: "a") }
        }
    }

    @Test(arguments: StoreKind.available)
    func moodsAndAbsences(_ kind: StoreKind) async throws {
        try await kind.withStore { store in
            let mood = try await store.add(MoodCheckIn(person: "a", mood: 2, load: nil, at: slot))
            _ = try await store.add(MoodCheckIn(person: "b", mood: 4, load: 5, at: slot.addingTimeInterval(60)))
            #expect(try await store.moods(from: .distantPast, to: .distantFuture, persons: ["a"]) == [mood])
            #expect(try await store.moods(from: .distantPast, to: .distantFuture).map(\.load) == [nil, 5])
            let away = try await store.add(Absence(person: "a", from: try LocalDate(parsing: "2026-12-01"), to: try LocalDate(parsing: "2026-12-04")))
            #expect(try await store.absences(overlapping: try LocalDate(parsing: "2026-12-04"), try LocalDate(parsing: "2026-12-10")) == [away])
            #expect(try await store.absences(overlapping: try LocalDate(parsing: "2026-12-05"), try LocalDate(parsing: "2026-12-10")).isEmpty)
            try await store.removeAbsence(away.id)
            #expect(try await store.absences(overlapping: try LocalDate(parsing: "2026-01-01"), try LocalDate(parsing: "2027-01-01")).isEmpty)
        }
    }

    @Test(arguments: StoreKind.available)
    func readingsReplaceByTimeAndAConflictKeepsNothing(_ kind: StoreKind) async throws {
        try await kind.withStores { store, other in
            let replaced = try await store.record([
                MetricReading(kpi: "a", value: 1, at: slot), MetricReading(kpi: "b", value: 2, at: slot, author: "bob", origin: .csv),
            ])
            #expect(replaced == 0)
            #expect(try await store.record([MetricReading(kpi: "a", value: 3, at: slot)]) == 1)
            #expect(try await store.readings(kpis: ["a", "b"], from: .distantPast, to: .distantFuture).map(\.value).sorted() == [2, 3])
            #expect(try await store.reading(kpi: "b", at: slot)?.author == "bob")
            #expect(try await store.reading(kpi: "b", at: slot)?.origin == .csv)
            // One reading that would replace another: the whole batch is refused and nothing is kept.
            await #expect(throws: ReadingConflict.self) {
                try await store.recordWithoutReplacing([
                    MetricReading(kpi: "c", value: 9, at: slot), MetricReading(kpi: "a", value: 4, at: slot),
                ])
            }
            #expect(try await store.metricCount() == 2)
            try await store.recordWithoutReplacing([MetricReading(kpi: "a", value: 3, at: slot), MetricReading(kpi: "c", value: 9, at: slot)])
            #expect(try await store.metricCount() == 3)
            // Listed with their authors; a wrong one deleted once, by either handle.
            let listed = try await other.recordedReadings(kpis: ["b", "c"], from: slot, to: slot.addingTimeInterval(1))
            #expect(listed.map(\.kpi) == ["b", "c"] && listed.first?.author == "bob" && listed.first?.origin == .csv)
            #expect(try await other.deleteReading(kpi: "b", at: slot)?.value == 2)
            #expect(try await store.deleteReading(kpi: "b", at: slot) == nil)
            #expect(try await store.deleteReading(kpi: "a", at: slot.addingTimeInterval(1)) == nil, "only the reading at that time")
            #expect(try await store.readings(kpis: ["a", "b", "c"], from: .distantPast, to: .distantFuture).map(\.kpi) == ["a", "c"])
        }
    }

    @Test(arguments: StoreKind.available)
    func runLedgerClaimsEachSlotOnce(_ kind: StoreKind) async throws {
        try await kind.withStores { store, other in
            let run = Run(schedule: "weekly", team: "t", slot: slot, state: .started, at: slot)
            #expect(try await store.claim(run))
            #expect(try await !other.claim(run))
            try await store.finish(schedule: "weekly", slot: slot, state: .done, detail: "2 targets", at: slot)
            #expect(try await other.runs().map(\.state) == [.done])
            let later = slot.addingTimeInterval(3_600)
            #expect(try await store.claim(Run(schedule: "weekly", team: "t", slot: later, state: .skipped, at: slot, manual: true)))
            #expect(try await store.lastRun(schedule: "weekly")?.slot == later)
            #expect(try await store.lastRun(schedule: "weekly", state: .done, before: nil, manual: nil)?.slot == slot)
            #expect(try await store.lastRun(schedule: "weekly", state: nil, before: slot, manual: nil) == nil)
            #expect(try await store.lastRun(schedule: "weekly", state: nil, before: nil, manual: false)?.slot == slot)
            #expect(try await store.lastRun(schedule: "daily") == nil)
            #expect(try await store.runs(since: later, teams: ["t"]).map(\.slot) == [later])
            #expect(try await store.runs(since: nil, teams: ["other"]).isEmpty)
        }
    }

    /// Two instances claiming the same slots at once: each slot's reports are queued once.
    @Test(arguments: StoreKind.available)
    func slotsClaimedAtOnceByTwoInstancesAreQueuedOnce(_ kind: StoreKind) async throws {
        try await kind.withStores { store, other in
            func run(_ schedule: String) -> Run { Run(schedule: schedule, team: "t", slot: slot, state: .done, at: slot) }
            func queued(_ text: String) -> QueuedReport {
                QueuedReport(record: record(text), parts: [OutboxParts(target: "chat", kind: .slack, bodies: [text + "1", text + "2"])])
            }
            #expect(try await store.claim(run("b")))
            let slots = [(run("a"), [queued("A")]), (run("b"), [queued("B")]), (run("c"), [queued("C")])]
            let results = try await withThrowingTaskGroup(of: [[(ReportRecord, [Delivery])]?].self) { group in
                for handle in [store, other, store, other] { group.addTask { try await handle.claim(slots, now: slot) } }
                return try await group.reduce(into: []) { $0.append($1) }
            }
            #expect(results.filter { $0.compactMap { $0 }.count == 2 }.count == 1)
            #expect(results.allSatisfy { $0[1] == nil })
            #expect(try await other.deliveries(reports: nil).map(\.body) == ["A1", "A2", "C1", "C2"])
            #expect(try await store.runs().first { $0.schedule == "a" }?.detail?.hasSuffix(": 2 parts") == true)
        }
    }

    @Test(arguments: StoreKind.available)
    func finishingAPartClaimsTheNextInTheSameWrite(_ kind: StoreKind) async throws {
        try await kind.withStore { store in
            let (_, parts) = try await store.enqueue(record(), parts: [OutboxParts(target: "chat", kind: .slack, bodies: ["1", "2", "3"])], now: slot)
            #expect(try await store.beginSending(parts[0].id, now: slot))
            #expect(try await store.finishSent(parts[0].id, receipt: "r1", at: slot, thenBegin: parts[1].id))
            #expect(try await store.deliveries(reports: nil).map(\.state) == [.sent, .sending, .pending])
            // A part someone else holds is not claimed twice.
            #expect(try await !store.finishSent(parts[1].id, receipt: nil, at: slot, thenBegin: parts[1].id))
            #expect(try await store.finishSent(parts[1].id, receipt: nil, at: slot, thenBegin: parts[2].id))
            #expect(try await store.finishSent(parts[2].id, receipt: nil, at: slot, thenBegin: nil) == false)
            let done = try await store.deliveries(reports: nil)
            #expect(done.map(\.state) == [.sent, .sent, .sent])
            #expect(done.map(\.attempts) == [1, 1, 1])
            #expect(done[0].receipt == "r1" && done[0].sentAt == slot)
            #expect(try await store.unfinishedDeliveries(reports: nil, target: nil).isEmpty)
        }
    }

    /// Of many couriers on two instances racing for one part, exactly one sends it.
    @Test(arguments: StoreKind.available)
    func onePartIsLeasedByExactlyOneCourier(_ kind: StoreKind) async throws {
        try await kind.withStores { store, other in
            let (_, parts) = try await store.enqueue(record(), parts: [OutboxParts(target: "chat", kind: .slack, bodies: ["only"])], now: slot)
            let wins = try await withThrowingTaskGroup(of: Bool.self) { group in
                for index in 0..<10 {
                    let handle = index % 2 == 0 ? store : other
                    group.addTask { try await handle.beginSending(parts[0].id, now: Date()) }
                }
                return try await group.reduce(0) { $0 + ($1 ? 1 : 0) }
            }
            #expect(wins == 1)
            #expect(try await other.deliveries(reports: nil).map(\.attempts) == [1])
        }
    }

    /// A dead instance's part goes back to the queue after its lease, never before; a second
    /// instance requeueing at the same moment does not count it twice.
    @Test(arguments: StoreKind.available)
    func abandonedPartsAreRequeuedAfterTheirLeaseOnly(_ kind: StoreKind) async throws {
        try await kind.withStores { store, other in
            let (_, parts) = try await store.enqueue(
                record(), parts: [OutboxParts(target: "slow", kind: .slack, bodies: ["1"]), OutboxParts(target: "fast", kind: .slack, bodies: ["2"])],
                now: slot)
            for part in parts { #expect(try await store.beginSending(part.id, now: slot)) }
            let grace: @Sendable (String) -> TimeInterval = { $0 == "slow" ? 600 : 30 }
            #expect(try await other.requeueAbandoned(now: slot.addingTimeInterval(10), grace: grace) == 0)
            let requeued = try await withThrowingTaskGroup(of: Int.self) { group in
                for handle in [store, other] { group.addTask { try await handle.requeueAbandoned(now: slot.addingTimeInterval(60), grace: grace) } }
                return try await group.reduce(0, +)
            }
            #expect(requeued == 1)
            #expect(try await store.unfinishedDeliveries(reports: nil, target: "fast").map(\.state) == [.pending])
            #expect(try await store.unfinishedDeliveries(reports: nil, target: "slow").map(\.state) == [.sending])
            #expect(try await store.unfinishedTargets(reports: nil) == ["fast", "slow"])
        }
    }

    @Test(arguments: StoreKind.available)
    func attemptsParkAndRetry(_ kind: StoreKind) async throws {
        try await kind.withStore { store in
            let (report, parts) = try await store.enqueue(
                record(), parts: [OutboxParts(target: "chat", kind: .slack, bodies: ["1", "2"], route: "U1")], now: slot)
            #expect(try await store.beginSending(parts[0].id, now: slot))
            try await store.finishAttempt(parts[0].id, state: .pending, error: "503", nextAttemptAt: slot.addingTimeInterval(30), at: slot)
            var first = try await store.deliveries(reports: [report.id])[0]
            #expect(first.lastError == "503" && first.nextAttemptAt == slot.addingTimeInterval(30) && first.route == "U1")
            try await store.finishAttempt(parts[0].id, state: .parked, error: "gone", at: slot)
            #expect(try await store.deliveries(reports: nil, states: [.parked]).map(\.id) == [parts[0].id])
            #expect(try await store.outboxBacklog().count == 1)
            #expect(try await store.retryParked(ids: [parts[1].id], now: slot) == 0)
            #expect(try await store.retryParked(ids: nil, now: slot.addingTimeInterval(100)) == 1)
            first = try await store.deliveries(reports: [report.id])[0]
            #expect(first.state == .pending && first.attemptsBase == 1 && first.lastError == "gone")
            #expect(try await store.beginSending(first.id, now: slot))
            try await store.finishAttempt(first.id, state: .sent, receipt: "ts1", at: slot.addingTimeInterval(200))
            first = try await store.deliveries(reports: [report.id])[0]
            #expect(first.state == .sent && first.lastError == nil && first.receipt == "ts1" && first.sentAt == slot.addingTimeInterval(200))
            #expect(try await store.lastRoute(target: "chat", startingWith: "U") == "U1")
            #expect(try await store.lastRoute(target: "chat", startingWith: "C") == nil)
            let backlog = try await store.outboxBacklog()
            #expect(backlog.count == 1 && backlog.oldest == slot)
            #expect(try await store.report(report.id)?.markdown == "x")
            #expect(try await store.reports(team: "t", kinds: [ReportRecord.reportKind], limit: 5).map(\.id) == [report.id])
            #expect(try await store.reports(team: "u", kinds: [ReportRecord.reportKind], limit: 5).isEmpty)
        }
    }

    @Test(arguments: StoreKind.available)
    func aNoticeIsQueuedOnceByTwoInstances(_ kind: StoreKind) async throws {
        try await kind.withStores { store, other in
            let notice = NoticeRecord(key: "reminder:weekly:a", person: "a", kind: .reminder, detail: "due Friday", createdAt: slot)
            let message = QueuedReport(record: record("remind"), parts: [OutboxParts(target: "mail", kind: .email, bodies: ["hi"])])
            let claims = try await withThrowingTaskGroup(of: Bool.self) { group in
                for handle in [store, other, store] { group.addTask { try await handle.claim(notice, queueing: [message], now: slot) } }
                return try await group.reduce(0) { $0 + ($1 ? 1 : 0) }
            }
            #expect(claims == 1)
            let kept = try await other.notices(kind: .reminder)
            #expect(kept.count == 1 && kept[0].reports.count == 1 && kept[0].detail == "due Friday")
            #expect(try await store.notices(kind: .escalation).isEmpty)
            #expect(try await store.recordedNotices(["reminder:weekly:a", "reminder:weekly:b"]) == ["reminder:weekly:a"])
            #expect(try await store.deliveries(reports: nil).map(\.body) == ["hi"])
        }
    }

    @Test(arguments: StoreKind.available)
    func tokensAreFoundByHashAndRevoked(_ kind: StoreKind) async throws {
        try await kind.withStore { store in
            let api = try await store.add(AccessToken(person: "a", scope: .api, hash: "h1", createdAt: slot))
            let link = try await store.add(AccessToken(person: "a", scope: .link, hash: "h2", createdAt: slot, expiresAt: slot.addingTimeInterval(60)))
            _ = try await store.add(AccessToken(person: "b", scope: .api, hash: "h3", createdAt: slot))
            #expect(try await store.token(hash: "h2") == link)
            #expect(try await store.tokens(of: "a").map(\.id) == [link.id, api.id])
            #expect(try await store.tokens(of: nil).count == 3)
            try await store.touch(api.id, at: slot.addingTimeInterval(5))
            #expect(try await store.token(hash: "h1")?.lastUsedAt == slot.addingTimeInterval(5))
            #expect(try await store.revokeTokens(of: "a", id: api.id, at: slot) == 1)
            #expect(try await store.revokeTokens(of: "a", id: nil, at: slot) == 1)
            #expect(try await store.revokeTokens(of: "a", id: nil, at: slot) == 0)
            #expect(try await store.token(hash: "h3")?.revokedAt == nil)
        }
    }

    @Test(arguments: StoreKind.available)
    func sourcesImportEachKeyOnceAndDraftsAreConfirmedOnce(_ kind: StoreKind) async throws {
        try await kind.withStore { store in
            var entry = Entry(person: "a", kind: .progress, text: "merged #12", at: slot)
            entry.origin = "git"
            entry.url = "https://example.org/12"
            let imported = try await store.importEntries([SourcedEntry(entry: entry, key: "git:abc")], now: slot)
            #expect(imported.count == 1 && imported[0].origin == "git")
            #expect(try await store.importEntries([SourcedEntry(entry: entry, key: "git:abc")], now: slot).isEmpty)
            #expect(try await store.addDrafts([SourcedEntry(entry: entry, key: "git:abc"), SourcedEntry(entry: entry, key: "gh:pr/7")], now: slot) == 1)
            #expect(try await store.knownKeys(["git:abc", "gh:pr/7", "gh:pr/8"]) == ["git:abc", "gh:pr/7"])
            let draft = try #require(try await store.drafts(person: "a", state: .pending).first)
            #expect(draft.key == "gh:pr/7" && draft.entry.url == "https://example.org/12")
            let confirmed = try await store.confirmDraft(draft.id, text: "reviewed #7", now: slot)
            #expect(confirmed.text == "reviewed #7")
            await #expect(throws: NarrateError.self) { try await store.confirmDraft(draft.id, text: nil, now: slot) }
            await #expect(throws: NarrateError.self) { try await store.discardDraft(draft.id, now: slot) }
            #expect(try await store.drafts(person: nil, state: .confirmed).map(\.confirmed) == [confirmed.id])
            try await store.recordSourceRun("git", at: slot, problems: ["one", "two"])
            try await store.recordSourceRun("git", at: slot.addingTimeInterval(1), problems: [])
            let runs = try await store.sourceRuns()
            #expect(runs.count == 1 && runs[0].problems.isEmpty && runs[0].at == slot.addingTimeInterval(1))
        }
    }

    @Test(arguments: StoreKind.available)
    func cacheAndReplaysKeepTheirKeys(_ kind: StoreKind) async throws {
        try await kind.withStores { store, other in
            #expect(try await store.cached("https://x") == nil)
            try await store.keep("https://x", etag: "e1", body: Data([0, 1, 255]), now: slot)
            try await store.keep("https://x", etag: "e2", body: Data([2]), now: slot)
            let cached = try await other.cached("https://x")
            #expect(cached?.etag == "e2" && cached?.body == Data([2]))
            #expect(try await store.firstSight("sig-1", at: slot, forgettingBefore: slot.addingTimeInterval(-300)))
            #expect(try await !other.firstSight("sig-1", at: slot, forgettingBefore: slot.addingTimeInterval(-300)))
            // Forgotten once older than the window, then new again.
            #expect(try await other.firstSight("sig-1", at: slot.addingTimeInterval(600), forgettingBefore: slot.addingTimeInterval(1)))
        }
    }
}

/// `make test` and CI run the suite beside a PostgreSQL cluster (scripts/postgres.sh): there,
/// a cluster that did not start fails the run instead of leaving PostgreSQL untested.
@Suite struct StoreContractCoverageTests {
    @Test func postgresIsTestedWhereTheRunAsksForIt() {
        if ProcessInfo.processInfo.environment["NARRATE_REQUIRE_POSTGRES"] == "1" {
            #expect(StoreKind.available.contains(.postgres), "NARRATE_TEST_POSTGRES_URL is missing or not a postgres:// URL")
        }
    }
}
