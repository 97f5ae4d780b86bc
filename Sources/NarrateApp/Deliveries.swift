import Foundation
import NarrateCore
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

        public var delivered: Bool { sent == parts }

        public var line: String {
            if delivered {
                return "\(team) → \(target): sent \(parts) part\(parts == 1 ? "" : "s")" + (retries > 0 ? " (retried \(retries) time\(retries == 1 ? "" : "s"))" : "")
            }
            if parked > 0 { return "\(team) → \(target): parked: \(error ?? "unknown error")" }
            return "\(team) → \(target): \(sent) of \(parts) parts sent, the rest still queued" + (error.map { " (last error: \($0))" } ?? "")
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
    public func queue(_ plan: ReportPlan) throws -> [(ReportRecord, [Delivery])] {
        try context.pipeline.run(plan).map { formatted in
            try context.store.enqueue(formatted.rendered.record, parts: formatted.parts, now: context.clock.now())
        }
    }

    /// `narrate now --dry-run`: the exact requests, built by the same code that sends them;
    /// nothing is recorded or sent.
    public func dryRun(team: String? = nil, schedule: String? = nil) throws -> [DryRunRequest] {
        let courier = context.courier
        var requests: [DryRunRequest] = []
        for plan in try context.pipeline.plan(team: team, schedule: schedule) {
            for formatted in try context.pipeline.run(plan) {
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
                        switch try courier.action(for: delivery, to: target, report: record) {
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
    public func now(team: String? = nil, schedule: String? = nil, wait: TimeInterval = 300) async throws -> [TargetResult] {
        var reportIDs: [Int64] = []
        for plan in try context.pipeline.plan(team: team, schedule: schedule) {
            for (stored, deliveries) in try queue(plan) {
                context.logger.info("report \(stored.id) for \(plan.team.id): \(deliveries.count) parts queued")
                reportIDs.append(stored.id)
            }
        }
        // Earlier reports' unfinished parts go out too, in order, before time runs out.
        _ = try await context.courier.deliver(reports: nil, until: context.clock.now().addingTimeInterval(wait))
        let deliveries = try context.store.deliveries(reports: reportIDs)
        var results: [TargetResult] = []
        for id in reportIDs {
            let record = try context.store.report(id)
            for target in Set(deliveries.filter { $0.report == id }.map(\.target)).sorted() {
                let parts = deliveries.filter { $0.report == id && $0.target == target }
                let firstProblem = parts.first { $0.state == .parked } ?? parts.first { $0.state != .sent && $0.lastError != nil }
                results.append(TargetResult(
                    team: record?.team ?? "", target: target, parts: parts.count, sent: parts.filter { $0.state == .sent }.count,
                    parked: parts.filter { $0.state == .parked }.count, retries: parts.map { max(0, $0.attempts - 1) }.reduce(0, +),
                    error: firstProblem?.lastError, report: id))
            }
        }
        return results
    }

    /// The outbox's parts, optionally only the parked ones.
    public func list(parkedOnly: Bool) throws -> [Delivery] {
        try context.store.deliveries(reports: nil, states: parkedOnly ? [.parked] : nil)
    }

    /// Re-queues parked parts: by id, or all of them.
    public func retry(ids: [Int64]?) throws -> Int {
        try context.store.retryParked(ids: ids, now: context.clock.now())
    }
}
