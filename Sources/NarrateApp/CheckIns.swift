import Foundation
import NarrateModel
import NarrateConfig
import NarrateReport
import NarrateTargets
import NarrateStore

/// Check-ins: the narrative's entries, closing blockers and next actions, days away, mood and
/// load. Inputs are typed: who the caller is, and any time they gave, are decided by the
/// front end (the CLI, a web form, a slash command) before a call lands here.
public struct CheckIns: Sendable {
    let context: AppContext

    /// How far ahead of the clock a time people give may be (their clock may run a little fast).
    public static let allowedSkew: TimeInterval = 300

    /// Records one part of a person's narrative.
    public func log(
        _ kind: Entry.Kind, text: String, by person: Person, stage: Entry.Stage? = nil, kpi: String? = nil, at: Date? = nil
    ) async throws -> Entry {
        let text = try TextRules.validated(text)
        try notInTheFuture(at, for: person)
        if stage != nil && kind != .blocker {
            throw NarrateError(.invalidInput, "--stage applies to blockers only (where in the process is it stuck?)")
        }
        if let kpi { _ = try context.config.requireKPI(kpi) }
        let now = context.clock.now()
        let entry = try await context.store.add(
            Entry(person: person.id, kind: kind, text: text, stage: stage, kpi: kpi, at: at ?? now), now: now)
        context.logger.info("recorded \(entry.displayID) for \(person.id)")
        return entry
    }

    /// Closes a blocker (`resolved`) or next action (`done`), or drops either, for whoever asks:
    /// a person may close their own entries, their team's as its manager, anyone's as an admin;
    /// the same rule from the shell, the socket, the API, the page and chat. A shell that is no
    /// person of the config owns the store file and may close anything.
    public func close(
        _ reference: EntryReference, as state: Entry.State, note: String? = nil, at: Date? = nil, by requester: Requester
    ) async throws -> Entry {
        guard case .person(let caller) = requester else { return try await close(reference, as: state, note: note, at: at) }
        return try await close(reference, as: state, note: note, at: at, by: caller)
    }

    func close(_ reference: EntryReference, as state: Entry.State, note: String? = nil, at: Date? = nil) async throws -> Entry {
        let note = try note.map { try TextRules.validated($0, what: "note") }
        do {
            try notInTheFuture(at, for: nil)
            let entry = try await closable(reference, as: state)
            return try await context.store.close(entry.id, as: state, note: note, at: at ?? context.clock.now())
        } catch let closed as EntryClosed {
            // When, in the zone of the person who wrote it.
            let when = closed.entry.closedAt.map { " on \(TimeText.short($0, in: zone(ofAuthor: closed.entry)))" } ?? ""
            throw NarrateError(.conflict, "\(closed)\(when)")
        }
    }

    /// Which states each kind closes into: a blocker is resolved or dropped, a next action done
    /// or dropped; the other kinds do not close.
    static let closingStates: [Entry.State: [Entry.Kind]] = [.resolved: [.blocker], .done: [.next], .dropped: [.blocker, .next]]

    /// The entry `reference` names, when it may take `state`: the reference's kind letter must
    /// be the entry's, and the kind must close into that state.
    func closable(_ reference: EntryReference, as state: Entry.State) async throws -> Entry {
        guard let entry = try await context.store.entry(reference.number) else { throw NarrateError(.notFound, "no entry \(reference)") }
        if let kind = reference.kind, kind != entry.kind {
            throw NarrateError(.notFound, "\(reference) does not exist; entry \(entry.id) is \(entry.displayID), \(entry.kind.withArticle)")
        }
        let fits = Self.closingStates[state, default: []]
        guard fits.contains(entry.kind) else {
            let verb = state == .resolved ? "resolve" : state == .done ? "done" : "drop"
            let kinds = fits.map { $0 == .next ? "next actions" : "blockers" }
            throw NarrateError(
                .invalidInput, "\(entry.displayID) is \(entry.kind.withArticle) entry; narrate \(verb) works on \(kinds.joined(separator: " and "))")
        }
        guard entry.state == .open else { throw EntryClosed(entry: entry) }
        return entry
    }

    /// Closes a blocker or next action for a person: only its author, their team's manager or
    /// an admin may.
    public func close(
        _ reference: EntryReference, as state: Entry.State, note: String? = nil, at: Date? = nil, by caller: Caller
    ) async throws -> Entry {
        let entry = try await existing(reference)
        let manages = context.config.teams(of: entry.person).contains { $0.manager == caller.person.id }
        guard entry.person == caller.person.id || caller.isAdmin || manages else {
            throw NarrateError(.forbidden, "\(entry.displayID) is \(entry.person)'s; only they, their manager or an admin can close it")
        }
        return try await close(EntryReference(number: entry.id, kind: entry.kind), as: state, note: note, at: at)
    }

    /// A person's own entries since `since` (up to now and the allowed skew), and their
    /// blockers and next actions open now.
    public func own(_ person: Person, since: Date) async throws -> (entries: [Entry], open: [Entry]) {
        let now = context.clock.now()
        let entries = try await context.store.entries(from: since, to: now.addingTimeInterval(Self.allowedSkew + 1), persons: [person.id])
        let open = try await context.store.followedEntries(openDuring: now, now, persons: [person.id]).filter { $0.state == .open }
        return (entries, open)
    }

    /// Replaces an entry's text: by its author, or by an admin.
    public func edit(_ reference: EntryReference, text: String, by caller: Caller) async throws -> Entry {
        let text = try TextRules.validated(text)
        let entry = try await ownEntry(reference, caller)
        return try await context.store.edit(entry.id, text: text, by: caller.person.id, at: context.clock.now())
    }

    /// Deletes an entry (`undo` brings it back): by its author, or by an admin.
    public func delete(_ reference: EntryReference, by caller: Caller) async throws -> Entry {
        let entry = try await ownEntry(reference, caller)
        return try await context.store.delete(entry.id, by: caller.person.id, at: context.clock.now())
    }

    /// Takes back the caller's latest edit or delete.
    public func undo(by caller: Caller) async throws -> (Entry, EntryChange) {
        try await context.store.undo(by: caller.person.id)
    }

    /// The entry, when the caller may change it.
    func ownEntry(_ reference: EntryReference, _ caller: Caller) async throws -> Entry {
        let entry = try await existing(reference)
        guard entry.person == caller.person.id || caller.isAdmin else {
            throw NarrateError(
                .forbidden, "\(entry.displayID) was written by \(entry.person); only they (or an admin, with --as) can change it")
        }
        return entry
    }

    /// The entry a reference names, when its kind letter (if given) matches.
    func existing(_ reference: EntryReference) async throws -> Entry {
        guard let entry = try await context.store.entry(reference.number), reference.kind.map({ $0 == entry.kind }) ?? true else {
            throw NarrateError(.notFound, "no entry \(reference)")
        }
        return entry
    }

    /// A time in the future (beyond a small skew) is a typo, not a plan.
    public func notInTheFuture(_ at: Date?, for person: Person?) throws {
        guard let at, at > context.clock.now().addingTimeInterval(Self.allowedSkew) else { return }
        let zone = person.map(context.config.zone(of:)) ?? Config.zone(context.config.timeZone)
        throw NarrateError(.invalidInput, "\(TimeText.short(at, in: zone)) is in the future; give a time that has passed")
    }

    func zone(ofAuthor entry: Entry) -> TimeZone {
        context.config.person(entry.person).map(context.config.zone(of:)) ?? Config.zone(context.config.timeZone)
    }

    /// Marks days a person is away (inclusive); they are not counted as missing.
    public func away(_ person: Person, from first: LocalDate, to last: LocalDate) async throws -> Absence {
        guard first <= last else { throw NarrateError(.invalidInput, "--from \(first) is after --to \(last)") }
        return try await context.store.add(Absence(person: person.id, from: first, to: last))
    }

    /// Days away from `from` on (all when nil), of one person or everyone.
    /// Days away `reader` may see: their own teams' (as a member or manager), everyone's for an
    /// admin or the store's owner. Asking for someone outside them is refused.
    public func absences(of person: Person?, from first: LocalDate?, visibleTo reader: Requester) async throws -> [Absence] {
        let visible = context.config.teammates(of: reader)
        if let person, let visible, !visible.contains(person.id) {
            throw NarrateError(.forbidden, "\(person.id) is not on a team of yours; only admins see everyone's days away")
        }
        return try await absences(of: person, from: first).filter { visible?.contains($0.person) ?? true }
    }

    func absences(of person: Person?, from first: LocalDate?) async throws -> [Absence] {
        try await context.store.absences(overlapping: first ?? LocalDate(year: 1970, month: 1, day: 1), LocalDate(year: 2199, month: 12, day: 31))
            .filter { person == nil || $0.person == person?.id }
    }

    /// Cancels days away: by the person, or an admin.
    public func cancelAbsence(_ id: Int64, by caller: Caller) async throws -> Absence {
        guard let absence = try await absences(of: nil, from: nil).first(where: { $0.id == id }) else {
            throw NarrateError(.notFound, "no absence \(id); `narrate away list` shows them")
        }
        guard absence.person == caller.person.id || caller.isAdmin else {
            throw NarrateError(.forbidden, "absence \(id) is \(absence.person)'s; only they (or an admin, with --as) can cancel it")
        }
        try await context.store.removeAbsence(id)
        return absence
    }

    /// Records a mood (and optional load) check-in on a 1–5 scale.
    public func mood(_ person: Person, mood: Int, load: Int?, at: Date? = nil) async throws -> MoodCheckIn {
        try notInTheFuture(at, for: person)
        guard (1...5).contains(mood) else { throw NarrateError(.invalidInput, "mood must be 1 to 5, got \(mood)") }
        if let load, !(1...5).contains(load) { throw NarrateError(.invalidInput, "--load must be 1 to 5, got \(load)") }
        return try await context.store.add(MoodCheckIn(person: person.id, mood: mood, load: load, at: at ?? context.clock.now()))
    }
}
