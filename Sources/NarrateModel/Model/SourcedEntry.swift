import Foundation

/// An entry a source found in a person's tools, with the key that identifies it across runs
/// (`git:3f2a9c1…`, a pull request's URL): imported once, whatever how often the source runs.
public struct SourcedEntry: Sendable, Equatable {
    public var entry: Entry
    public var key: String

    public init(entry: Entry, key: String) {
        self.entry = entry
        self.key = key
    }
}

/// A sourced entry waiting for its person to confirm, edit or discard it.
public struct Draft: Sendable, Equatable {
    public enum State: String, Sendable, CaseIterable { case pending, confirmed, discarded }

    public var id: Int64
    public var entry: Entry
    public var key: String
    public var state: State
    /// The entry it became, once confirmed.
    public var confirmed: Int64?

    public init(id: Int64, entry: Entry, key: String, state: State, confirmed: Int64? = nil) {
        self.id = id
        self.entry = entry
        self.key = key
        self.state = state
        self.confirmed = confirmed
    }

    /// S for "suggested" (D is a decision).
    public var displayID: String { "S-\(id)" }
}
