import Foundation
import NarrateModel
import NarrateConfig
import NarrateReport
import NarrateTargets

extension CheckIns {
    /// What a person sees of their own check-ins: the period the next report covers, what they
    /// wrote in it, and their blockers and next actions that are still open.
    public struct Summary: Sendable {
        public var person: Person
        public var period: Period
        public var locale: String
        public var entries: [Entry]
        public var open: [Entry]
        /// What the person's tools suggested, waiting for them.
        public var drafts: [Draft] = []
    }

    public func summary(of person: Person) async throws -> Summary {
        let now = context.clock.now()
        let team = context.config.teams(of: person.id).first
        let zone = context.config.zone(of: person)
        let period: Period
        if let team {
            period = try await context.pipeline.plan(team: team.id).first?.period ?? Period.containing(now, kind: .week, in: zone)
        } else {
            period = Period.containing(now, kind: .week, in: zone)
        }
        let written = try await context.store.entries(from: period.start, to: max(period.end, now.addingTimeInterval(1)), persons: [person.id])
        let open = try await context.store.followedEntries(openDuring: now, now, persons: [person.id]).filter { $0.state == nil || $0.state == .open }
        let locale = team?.locale ?? context.config.locale
        var summary = Summary(person: person, period: period, locale: locale, entries: written, open: open)
        summary.drafts = try await drafts(of: person)
        return summary
    }
}
