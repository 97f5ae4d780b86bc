import Foundation
import NarrateModel
import NarrateReport

/// A source outside narrate — journal files, git, GitHub, a command — asked for what its people
/// did over a period. What it finds is imported into the store (as entries or drafts, each once
/// by its key), so every report, preview and page reads it through ``StoreSource``.
public protocol ActivitySource: Sendable {
    var id: String { get }
    func collect(_ request: CollectRequest) async -> Collected
}

/// The people and the span a source is asked about.
public struct CollectRequest: Sendable {
    public var people: [Person]
    public var start: Date
    public var end: Date
    /// The zone dates are read in (a journal file's date, a commit's day).
    public var zone: TimeZone
    /// When the run must be over; a source stops there and says how far it got.
    public var deadline: Date

    public init(people: [Person], start: Date, end: Date, zone: TimeZone, deadline: Date) {
        self.people = people
        self.start = start
        self.end = end
        self.zone = zone
        self.deadline = deadline
    }
}

/// What a source brought back: entries with their keys, readings, and what went wrong (each a
/// line a person can act on; the rest of what it found is still used).
public struct Collected: Sendable {
    public var entries: [SourcedEntry] = []
    public var readings: [MetricReading] = []
    public var problems: [String] = []

    public init(entries: [SourcedEntry] = [], readings: [MetricReading] = [], problems: [String] = []) {
        self.entries = entries
        self.readings = readings
        self.problems = problems
    }
}

/// Fetches over HTTP (the libcurl transport, passed in so this module needs no delivery code).
public typealias Fetch = @Sendable (HTTPRequest) async throws -> HTTPResponse
