import Foundation
import NarrateCore

/// People's entries and their check-ins (mood, load, days away).
public protocol EntryStore: Sendable {
    /// Records an entry and returns it with its id.
    @discardableResult func add(_ entry: Entry, now: Date) throws -> Entry
    func entry(_ id: Int64) throws -> Entry?
    /// Closes an open blocker or next action. The check that it is open and the update are one
    /// atomic step: two callers closing the same entry see one success and one `.conflict`.
    @discardableResult func close(_ reference: EntryReference, as state: Entry.State, note: String?, at: Date) throws -> Entry
    /// Entries whose time falls in `[start, end)`, oldest first, optionally for some people only.
    func entries(from start: Date, to end: Date, persons: [String]?) throws -> [Entry]
    /// Blockers and next actions that are open now, or were open at some point of `[start, end)`.
    func followedEntries(openDuring start: Date, _ end: Date, persons: [String]) throws -> [Entry]
    func entryCount() throws -> Int

    @discardableResult func add(_ checkIn: MoodCheckIn) throws -> MoodCheckIn
    func moods(from start: Date, to end: Date) throws -> [MoodCheckIn]
    @discardableResult func add(_ absence: Absence) throws -> Absence
    /// Absences that overlap the days `[first, last]`.
    func absences(overlapping first: LocalDate, _ last: LocalDate) throws -> [Absence]
}

extension EntryStore {
    public func entries(from start: Date, to end: Date) throws -> [Entry] {
        try entries(from: start, to: end, persons: nil)
    }
}
