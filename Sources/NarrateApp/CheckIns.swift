import Foundation
import NarrateCore
import NarrateStore

/// Check-ins: the narrative's entries, closing blockers and next actions, days away, mood and
/// load. Inputs are typed: who the caller is, and any time they gave, are decided by the
/// front end (the CLI, a web form, a slash command) before a call lands here.
public struct CheckIns: Sendable {
    let context: AppContext

    /// Records one part of a person's narrative.
    public func log(
        _ kind: Entry.Kind, text: String, by person: Person, stage: Entry.Stage? = nil, kpi: String? = nil, at: Date? = nil
    ) throws -> Entry {
        let text = try TextRules.validated(text)
        if stage != nil && kind != .blocker {
            throw NarrateError(.invalidInput, "--stage applies to blockers only (where in the process is it stuck?)")
        }
        if let kpi { _ = try context.config.requireKPI(kpi) }
        let now = context.clock.now()
        let entry = try context.store.add(
            Entry(person: person.id, kind: kind, text: text, stage: stage, kpi: kpi, at: at ?? now), now: now)
        context.logger.info("recorded \(entry.displayID) for \(person.id)")
        return entry
    }

    /// Closes a blocker (`resolved`) or next action (`done`), or drops either.
    public func close(_ reference: EntryReference, as state: Entry.State, note: String? = nil, at: Date? = nil) throws -> Entry {
        let note = try note.map { try TextRules.validated($0, what: "note") }
        return try context.store.close(reference, as: state, note: note, at: at ?? context.clock.now())
    }

    /// Marks days a person is away (inclusive); they are not counted as missing.
    public func away(_ person: Person, from first: LocalDate, to last: LocalDate) throws -> Absence {
        guard first <= last else { throw NarrateError(.invalidInput, "--from \(first) is after --to \(last)") }
        return try context.store.add(Absence(person: person.id, from: first, to: last))
    }

    /// Records a mood (and optional load) check-in on a 1–5 scale.
    public func mood(_ person: Person, mood: Int, load: Int?, at: Date? = nil) throws -> MoodCheckIn {
        guard (1...5).contains(mood) else { throw NarrateError(.invalidInput, "mood must be 1 to 5, got \(mood)") }
        if let load, !(1...5).contains(load) { throw NarrateError(.invalidInput, "--load must be 1 to 5, got \(load)") }
        return try context.store.add(MoodCheckIn(person: person.id, mood: mood, load: load, at: at ?? context.clock.now()))
    }
}
