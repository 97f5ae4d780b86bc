import Foundation

extension Workspace {
    /// Records one part of a person's narrative (`narrate log`).
    public func log(
        _ kind: Entry.Kind, text: String, as personID: String?, stage: Entry.Stage? = nil, kpi: String? = nil,
        at: String? = nil, now: Date = Date()
    ) throws -> Entry {
        let person = try person(as: personID)
        let text = try TextRules.validated(text)
        if stage != nil && kind != .blocker {
            throw NarrateError("--stage applies to blockers only (where in the process is it stuck?)")
        }
        if let kpi { _ = try config.requireKPI(kpi) }
        let time = try at.map { try TimeText.parse($0, zone: config.zone(of: person), now: now) } ?? now
        let entry = try store.add(Entry(person: person.id, kind: kind, text: text, stage: stage, kpi: kpi, at: time), now: now)
        logger.info("recorded \(entry.displayID) for \(person.id)")
        return entry
    }

    /// Closes a blocker (`resolved`) or next action (`done`), or drops either.
    public func close(_ id: String, as state: Entry.State, note: String? = nil, now: Date = Date()) throws -> Entry {
        let reference = try EntryReference(parsing: id)
        let note = try note.map { try TextRules.validated($0, what: "note") }
        return try store.close(reference, as: state, note: note, at: now)
    }

    /// Marks days a person is away (inclusive); they are not counted as missing.
    public func away(_ personID: String, from: String, to: String) throws -> Absence {
        let person = try config.requirePerson(personID)
        let first = try LocalDate(parsing: from)
        let last = try LocalDate(parsing: to)
        guard first <= last else { throw NarrateError("--from \(first) is after --to \(last)") }
        return try store.add(Absence(person: person.id, from: first, to: last))
    }

    /// Records a mood (and optional load) check-in on a 1–5 scale.
    public func mood(_ personID: String, mood: Int, load: Int?, now: Date = Date()) throws -> MoodCheckIn {
        let person = try config.requirePerson(personID)
        guard (1...5).contains(mood) else { throw NarrateError("mood must be 1 to 5, got \(mood)") }
        if let load, !(1...5).contains(load) { throw NarrateError("--load must be 1 to 5, got \(load)") }
        return try store.add(MoodCheckIn(person: person.id, mood: mood, load: load, at: now))
    }
}
