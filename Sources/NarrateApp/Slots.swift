import Foundation
import NarrateModel
import NarrateConfig
import NarrateReport
import NarrateTargets
import NarrateStore

/// Running a schedule's slot, for the scheduler and for `narrate now`: the report is made first
/// (sources within their time budget, then the pipeline); the claim of (schedule, slot) and the
/// queued report are then one transaction, so a process that dies (or a store that fails) in
/// between leaves the slot unclaimed, to be tried again. A report that cannot be made is
/// recorded as `failed` with its reason; a slot another process claimed first is left to it.
public struct Slots: Sendable {
    let context: AppContext

    public enum Outcome: Sendable {
        /// This process claimed the slot; its reports and their parts are queued.
        case queued([(ReportRecord, [Delivery])])
        /// Another process (or an earlier run) had claimed it.
        case alreadyRun
        /// The report could not be made; recorded as `failed` with this reason (nil when another
        /// process had recorded the slot first).
        case failed(String?)
    }

    /// Runs `slot` of `schedule` if this process is the first to claim it.
    public func run(_ schedule: Schedule, slot: Date) async throws -> Outcome {
        let reports: [QueuedReport]
        do {
            let plan = await context.pipeline.withSources(try context.pipeline.plan(schedule: schedule, slot: slot))
            reports = try await context.pipeline.run(plan).map { QueuedReport(record: $0.rendered.record, parts: $0.parts) }
        } catch let error where NarrateError.Category(of: error) != .unavailable {
            // A config, template or source problem: recorded, so the slot is not tried forever.
            // The store's failures (unavailable) go to the caller's backoff instead.
            let reason = context.redactor.redact("\(error)")
            let failed = Run(schedule: schedule.id, team: schedule.team, slot: slot, state: .failed, at: context.clock.now(), detail: reason)
            return await .failed(try context.store.claim(failed) ? reason : nil)
        }
        let run = Run(schedule: schedule.id, team: schedule.team, slot: slot, state: .done, at: context.clock.now())
        guard let queued = try await context.store.claim(run, queueing: reports, now: context.clock.now()) else { return .alreadyRun }
        return .queued(queued)
    }

    /// A report `narrate now` queued, or found queued before with the same content.
    public struct ManualReport: Sendable {
        public var id: Int64
        public var team: String
        public var earlier: Bool
    }

    /// `narrate now`'s reports, in the plans' order: every plan rendered, then every team's
    /// slot and reports queued in one transaction. A plan with a schedule is recorded as a manual
    /// run of it at the plan's time, so the next scheduled `since-last` report starts after it.
    /// A report whose Markdown and targets are those of one already queued is not queued again
    /// (unless `force`): that report is given instead, as `earlier`.
    public func runNow(_ plans: [ReportPlan], force: Bool) async throws -> [ManualReport] {
        var result: [ManualReport] = []
        var earlier: Set<Int64> = []
        // Every team's slot and reports are queued in one transaction; the reports keep the
        // plans' order.
        var slots: [(team: String, run: Run, reports: [QueuedReport])] = []
        enum Queued { case report(Int64, team: String), slot(Int) }
        var order: [Queued] = []
        for (plan, reports) in zip(plans, try await context.pipeline.run(plans)) {
            var fresh: [QueuedReport] = []
            for formatted in reports {
                if !force, let existing = try await identical(to: formatted) {
                    context.logger.notice("\(plan.team.id): report \(existing) has the same content; not queued again (--force sends it anyway)")
                    order.append(.report(existing, team: plan.team.id))
                    earlier.insert(existing)
                    continue
                }
                fresh.append(QueuedReport(record: formatted.rendered.record, parts: formatted.parts))
            }
            guard !fresh.isEmpty else { continue }
            if let schedule = plan.schedule {
                let run = Run(
                    schedule: schedule.id, team: plan.team.id, slot: plan.now, state: .done, at: plan.now, manual: true)
                slots.append((plan.team.id, run, fresh))
                order.append(.slot(slots.count - 1))
            } else {
                for (stored, deliveries) in try await fresh.asyncMap({ try await context.store.enqueue($0.record, parts: $0.parts, now: context.clock.now()) }) {
                    context.logger.info("report \(stored.id) for \(plan.team.id): \(deliveries.count) parts queued")
                    order.append(.report(stored.id, team: plan.team.id))
                }
            }
        }
        let claimed = await slots.isEmpty ? [] : try context.store.claim(slots.map { ($0.run, $0.reports) }, now: context.clock.now())
        for item in order {
            switch item {
            case .report(let id, let team):
                result.append(ManualReport(id: id, team: team, earlier: earlier.contains(id)))
            case .slot(let slot):
                for (stored, deliveries) in claimed[slot] ?? [] {
                    context.logger.info("report \(stored.id) for \(slots[slot].team): \(deliveries.count) parts queued")
                    result.append(ManualReport(id: stored.id, team: slots[slot].team, earlier: false))
                }
            }
        }
        return result
    }

    /// The newest report of the same team with the same Markdown and the same targets.
    func identical(to formatted: FormattedReport) async throws -> Int64? {
        let targets = Set(formatted.parts.map(\.target))
        // The team's latest reports: a team report and a digest a cycle, so the last few.
        for record in try await context.store.reports(
            team: formatted.rendered.plan.team.id, kinds: [ReportRecord.reportKind, ReportRecord.digestKind], limit: 4)
        where record.markdown == formatted.rendered.markdown {
            let sentTo = Set(try await context.store.deliveries(reports: [record.id]).map(\.target))
            if sentTo == targets { return record.id }
        }
        return nil
    }

    /// Records slots missed while no narrate ran (older than `catch_up`) as skipped, the latest
    /// hundred of them; returns those recorded.
    @discardableResult
    public func recordSkipped(_ slots: [Date], of schedule: Schedule) async throws -> [Date] {
        let kept = Array(slots.suffix(100))
        for slot in kept {
            _ = try await context.store.claim(Run(
                schedule: schedule.id, team: schedule.team, slot: slot, state: .skipped, at: context.clock.now(),
                detail: "missed while narrate was not running; older than catch_up \(DurationText.text(schedule.catchUp))"))
        }
        return kept
    }

    /// The slot this schedule last ran (or recorded), if any.
    public func lastSlot(of schedule: Schedule) async throws -> Date? {
        try await context.store.lastRun(schedule: schedule.id)?.slot
    }
}
