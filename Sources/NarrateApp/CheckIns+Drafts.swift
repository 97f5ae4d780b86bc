import Foundation
import NarrateModel
import NarrateConfig
import NarrateReport
import NarrateTargets

extension CheckIns {
    /// A person's pending drafts, oldest first.
    public func drafts(of person: Person) async throws -> [Draft] {
        try await context.store.drafts(person: person.id, state: .pending)
    }

    /// Confirms a draft (with `text` in place of its own when given): it becomes an entry.
    public func confirmDraft(_ reference: String, text: String? = nil, by caller: Caller) async throws -> Entry {
        let draft = try await ownDraft(reference, caller)
        let text = try text.map { try TextRules.validated($0) }
        let entry = try await context.store.confirmDraft(draft.id, text: text, now: context.clock.now())
        context.logger.info("draft \(draft.displayID) of \(draft.entry.person) confirmed as \(entry.displayID)")
        return entry
    }

    /// Discards a draft for good.
    public func discardDraft(_ reference: String, by caller: Caller) async throws -> Draft {
        try await context.store.discardDraft(try ownDraft(reference, caller).id, now: context.clock.now())
    }

    func ownDraft(_ reference: String, _ caller: Caller) async throws -> Draft {
        let text = reference.uppercased().hasPrefix("S-") ? String(reference.dropFirst(2)) : reference
        guard let id = Int64(text), id > 0 else {
            throw NarrateError(.invalidInput, "\"\(reference)\" is not a draft id; drafts look like S-3 (`narrate drafts` lists them)")
        }
        guard let draft = try await context.store.drafts(person: nil, state: nil).first(where: { $0.id == id }) else {
            throw NarrateError(.notFound, "no draft S-\(id)")
        }
        guard draft.entry.person == caller.person.id || caller.isAdmin else {
            throw NarrateError(.forbidden, "draft S-\(id) is \(draft.entry.person)'s; only they (or an admin) can confirm or discard it")
        }
        return draft
    }
}
