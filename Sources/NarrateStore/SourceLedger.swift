import Foundation
import NarrateModel

/// What sources bring in: entries added straight away (`mode = "auto"`) or kept as drafts for
/// their person to confirm (`mode = "draft"`), each at most once per key.
public protocol SourceLedger: Sendable {
    /// Adds the entries whose key was never seen (as an entry or a draft); returns them.
    @discardableResult func importEntries(_ items: [SourcedEntry], now: Date) async throws -> [Entry]
    /// The keys of `keys` already seen, as an entry or a draft.
    func knownKeys(_ keys: [String]) async throws -> Set<String>
    /// Keeps as pending drafts the items whose key was never seen; returns how many.
    @discardableResult func addDrafts(_ items: [SourcedEntry], now: Date) async throws -> Int
    func drafts(person: String?, state: Draft.State?) async throws -> [Draft]
    /// Makes a pending draft an entry (with `text` if given) and marks it confirmed, together.
    func confirmDraft(_ id: Int64, text: String?, now: Date) async throws -> Entry
    /// Marks a pending draft discarded: it never comes back.
    @discardableResult func discardDraft(_ id: Int64, now: Date) async throws -> Draft
    /// Keeps how a source's latest run went, for `/healthz`.
    func recordSourceRun(_ source: String, at: Date, problems: [String]) async throws
    /// Each source's latest run: when, and its problems (none: it went well).
    func sourceRuns() async throws -> [(source: String, at: Date, problems: [String])]
}
