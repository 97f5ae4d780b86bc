import Foundation
import NarrateModel
import NarrateConfig
import NarrateReport
import NarrateTargets
import NarratePlatform
import NarrateDelivery
import NarrateStore

/// Deliveries: queueing a cycle's reports, sending them, `--dry-run`, the outbox listing and retries.
public struct Deliveries: Sendable {
    let context: AppContext

    /// One target's result of `narrate now`.
    public struct TargetResult: Sendable, Encodable {
        public var team: String
        public var target: String
        public var parts: Int
        public var sent: Int
        public var parked: Int
        public var retries: Int
        public var error: String?
        public var report: Int64
        /// The report was queued before (by an earlier `now`, or another narrate) with the same content.
        public var earlier: Bool
        /// Parts sent while this command ran (by this narrate or another).
        public var sentNow: Int
        /// When the next part still queued is tried (in the config's zone), if one is.
        public var nextTry: String?

        public var delivered: Bool { sent == parts }

        public var line: String {
            if delivered && earlier && sentNow == 0 {
                return "\(team) → \(target): already sent in report \(report) with the same content; not sent again (--force sends it)"
            }
            if delivered && earlier {
                return "\(team) → \(target): sent \(Words.count(sentNow, "part")) of report \(report), queued earlier with the same content"
            }
            if delivered {
                return "\(team) → \(target): sent \(Words.count(parts, "part"))" + (retries > 0 ? " (retried \(Words.count(retries, "time")))" : "")
            }
            if parked > 0 { return "\(team) → \(target): parked: \(error ?? "unknown error")" }
            return "\(team) → \(target): \(sent) of \(parts) parts sent, the rest left to the daemon (or the next narrate now)"
                + (nextTry.map { ", next try \($0)" } ?? "") + (error.map { " (last error: \($0))" } ?? "")
        }
    }

    /// A request `narrate now --dry-run` would send.
    public struct DryRunRequest: Sendable, Encodable {
        public var team: String
        public var target: String
        public var part: Int
        public var parts: Int
        public var method: String
        public var url: String
        public var body: String
    }

    /// Runs the pipeline for a plan and commits every part to the outbox, report by report.
    @discardableResult
    public func queue(_ plan: ReportPlan) async throws -> [(ReportRecord, [Delivery])] {
        try await context.pipeline.run(plan).asyncMap { formatted in
            try await context.store.enqueue(formatted.rendered.record, parts: formatted.parts, now: context.clock.now())
        }
    }

    /// `narrate now --dry-run`: the exact requests, built by the same code that sends them,
    /// with what the sources would bring; nothing is imported, recorded or sent.
    public func dryRun(team: String? = nil, schedule: String? = nil) async throws -> [DryRunRequest] {
        let courier = context.courier
        var requests: [DryRunRequest] = []
        var plans: [ReportPlan] = []
        for plan in try await context.pipeline.plan(team: team, schedule: schedule) {
            plans.append(await context.pipeline.withSources(plan, importing: false))
        }
        for (plan, reports) in zip(plans, try await context.pipeline.run(plans)) {
            for formatted in reports {
                let record = formatted.rendered.record
                for group in formatted.parts {
                    guard let target = context.config.target(group.target) else { continue }
                    for (index, body) in group.bodies.enumerated() {
                        let delivery = Delivery(
                            report: 0, target: target.id, kind: target.kind.rawValue, part: index + 1,
                            parts: group.bodies.count, body: body, nextAttemptAt: plan.now, createdAt: plan.now)
                        var request = DryRunRequest(
                            team: plan.team.id, target: target.id, part: index + 1, parts: group.bodies.count,
                            method: "PRINT", url: target.kind.rawValue, body: body)
                        switch try await courier.action(for: delivery, to: target, report: record) {
                        case .http(let built):
                            request.method = built.method
                            request.url = built.url
                            request.body = String(decoding: built.body, as: UTF8.self)
                        case .writeFile(let path, let text):
                            request.method = "WRITE"
                            request.url = path
                            request.body = text
                        case .print:
                            break
                        }
                        requests.append(request)
                    }
                }
            }
        }
        return requests
    }

    /// `narrate now`: renders the current reports, commits them and all their parts to the
    /// outbox, then delivers until every part is sent or parked, or `wait` runs out.
    ///
    /// A report whose Markdown is identical to one already queued for the same team and targets
    /// is not queued again (unless `force`): its parts are delivered (or waited for, when another
    /// narrate is sending them) and reported as they stand. A newly queued report is recorded in
    /// the run ledger as a manual run of the team's schedule, in the same transaction, so the next
    /// scheduled `since-last` report starts after it.
    public func now(team: String? = nil, schedule: String? = nil, wait: TimeInterval = 300, force: Bool = false)
        async throws -> [TargetResult]
    {
        let deadline = context.clock.now().addingTimeInterval(wait)
        let started = context.clock.now()
        var plans: [ReportPlan] = []
        for plan in try await context.pipeline.plan(team: team, schedule: schedule) { plans.append(await context.pipeline.withSources(plan)) }
        let queued = try await context.slots.runNow(plans, force: force)
        let reportIDs = queued.map(\.id)
        let teams = Dictionary(queued.map { ($0.id, $0.team) }, uniquingKeysWith: { first, _ in first })
        let earlier = Set(queued.filter(\.earlier).map(\.id))
        // Earlier reports' unfinished parts go out too, in order, before time runs out.
        _ = try await context.courier.deliver(reports: nil, until: deadline)
        // Parts another narrate is sending are its to finish: wait for what it makes of them,
        // and take over what comes due meanwhile.
        var deliveries = try await context.store.deliveries(reports: reportIDs)
        while deliveries.contains(where: { $0.state == .sending || ($0.state == .pending && $0.nextAttemptAt < deadline) }),
            context.clock.now() < deadline
        {
            try await Pause.sleep(seconds: 0.1)
            deliveries = try await context.courier.deliver(reports: reportIDs, until: deadline)
        }
        var results: [TargetResult] = []
        // Grouped once: filtering every part for every report and target was quadratic.
        let byReport = Dictionary(grouping: deliveries, by: \.report)
        for id in reportIDs {
            let ofReport = byReport[id] ?? []
            for (target, parts) in Dictionary(grouping: ofReport, by: \.target).sorted(by: { $0.key < $1.key }) {
                let firstProblem = parts.first { $0.state == .parked } ?? parts.first { $0.state != .sent && $0.lastError != nil }
                results.append(TargetResult(
                    team: teams[id] ?? "", target: target, parts: parts.count, sent: parts.filter { $0.state == .sent }.count,
                    parked: parts.filter { $0.state == .parked }.count, retries: parts.map { max(0, $0.attempts - 1) }.reduce(0, +),
                    error: firstProblem?.lastError, report: id, earlier: earlier.contains(id),
                    sentNow: parts.filter { ($0.sentAt ?? .distantPast) >= started }.count,
                    nextTry: parts.filter { $0.state == .pending }.map(\.nextAttemptAt).min()
                        .map { TimeText.short($0, in: Config.zone(context.config.timeZone)) }))
            }
        }
        return results
    }

    /// What the outbox holds after a courier's pass: whether a part is being sent (by another
    /// process, or left by one that died), and when the next pending part is due.
    public func outstanding() async throws -> (sending: Bool, nextDue: Date?) {
        let unfinished = try await context.store.unfinishedDeliveries(reports: nil, target: nil)
        return (unfinished.contains { $0.state == .sending }, unfinished.filter { $0.state == .pending }.map(\.nextAttemptAt).min())
    }

    /// The outbox's parts, optionally only the parked ones.
    public func list(parkedOnly: Bool) async throws -> [Delivery] {
        try await context.store.deliveries(reports: nil, states: parkedOnly ? [.parked] : nil)
    }

    /// Re-queues parked parts: by id, or all of them.
    /// Re-queues the parked parts `ids` (every parked part when nil); an id that names no parked
    /// part is refused, and then nothing is re-queued.
    public func retry(ids: [Int64]?) async throws -> Int {
        if let ids {
            let parked = Set(try await context.store.deliveries(reports: nil, states: [.parked]).map(\.id))
            let others = ids.filter { !parked.contains($0) }
            if !others.isEmpty {
                throw NarrateError(
                    .notFound,
                    "no parked part \(others.map(String.init).joined(separator: ", ")) (`narrate deliveries --failed` lists them); nothing was re-queued")
            }
        }
        return try await context.store.retryParked(ids: ids, now: context.clock.now())
    }
}
