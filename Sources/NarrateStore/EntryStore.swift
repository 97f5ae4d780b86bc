import Foundation
import NarrateModel

/// People's entries and their check-ins (mood, load, days away).
public protocol EntryStore: Sendable {
    /// Records an entry and returns it with its id.
    @discardableResult func add(_ entry: Entry, now: Date) async throws -> Entry
    func entry(_ id: Int64) async throws -> Entry?
    /// Sets the state of entry `id` if it is still open (storage only: which kinds take which
    /// state is the use case's rule). The check that it is open and the update are one atomic
    /// step: two callers closing the same entry see one success and one ``EntryClosed`` holding
    /// the entry as the first left it. `.notFound` when there is no such entry.
    @discardableResult func close(_ id: Int64, as state: Entry.State, note: String?, at: Date) async throws -> Entry
    /// Entries whose time falls in `[start, end)`, oldest first, optionally for some people only.
    func entries(from start: Date, to end: Date, persons: [String]?) async throws -> [Entry]
    /// Blockers and next actions that are open now, or were open at some point of `[start, end)`.
    func followedEntries(openDuring start: Date, _ end: Date, persons: [String]) async throws -> [Entry]
    func entryCount() async throws -> Int
    /// Replaces an entry's text, keeping the old one for ``undo(by:)``.
    @discardableResult func edit(_ id: Int64, text: String, by person: String, at: Date) async throws -> Entry
    /// Hides an entry from every report and listing, keeping it for ``undo(by:)``.
    @discardableResult func delete(_ id: Int64, by person: String, at: Date) async throws -> Entry
    /// Takes back `person`'s latest edit or delete that is not undone yet.
    func undo(by person: String) async throws -> (Entry, EntryChange)

    @discardableResult func add(_ checkIn: MoodCheckIn) async throws -> MoodCheckIn
    func moods(from start: Date, to end: Date, persons: [String]?) async throws -> [MoodCheckIn]
    @discardableResult func add(_ absence: Absence) async throws -> Absence
    /// Absences that overlap the days `[first, last]`.
    func absences(overlapping first: LocalDate, _ last: LocalDate) async throws -> [Absence]
    func removeAbsence(_ id: Int64) async throws
}

/// An edit or delete, as kept for `narrate undo`.
public struct EntryChange: Sendable, Equatable {
    public enum Action: String, Sendable, CaseIterable { case edit, delete }
    public var entry: Int64
    public var action: Action
    public var oldText: String
    public var at: Date

    public init(entry: Int64, action: Action, oldText: String, at: Date) {
        self.entry = entry
        self.action = action
        self.oldText = oldText
        self.at = at
    }
}

/// Closing a blocker or next action that is closed already.
public struct EntryClosed: CategorizedError, Sendable, CustomStringConvertible {
    public var entry: Entry
    public init(entry: Entry) { self.entry = entry }
    public var category: NarrateError.Category { .conflict }
    public var description: String { "\(entry.displayID) is already \(entry.state?.rawValue ?? "closed")" }
}

extension EntryStore {
    public func moods(from start: Date, to end: Date) async throws -> [MoodCheckIn] {
        try await moods(from: start, to: end, persons: nil)
    }

    public func entries(from start: Date, to end: Date) async throws -> [Entry] {
        try await entries(from: start, to: end, persons: nil)
    }
}
