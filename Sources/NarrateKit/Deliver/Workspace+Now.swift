import Foundation

extension Workspace {
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

    /// Renders a report into the parts each of the team's targets (or `targets`) will receive.
    func outboxParts(for team: Team, markdown: String, targets: [String]? = nil) throws -> [(target: Target, bodies: [String])] {
        try (targets ?? team.targets).map { id in
            guard let target = config.target(id) else { throw NarrateError("team \(team.id): unknown target \(id)") }
            let formatter = MessageFormatter(dialect: Dialect(target: target.kind), limit: target.limit)
            return (target, formatter.parts(markdown))
        }
    }

    /// What one cycle sends for a team: the team report to its targets and, when the team has
    /// `manager_targets`, the manager digest to those.
    func messages(team: Team, period: Period, now: Date) throws -> [(markdown: String, targets: [String])] {
        let report = ReportAnalyzer.analyze(try gather(team: team, period: period, now: now))
        let renderer = try renderer()
        let locale = try locale(for: team, nil)
        var messages = [(try renderer.teamReport(report, locale: locale), team.targets)]
        if !team.managerTargets.isEmpty {
            messages.append((try renderer.managerDigest(report, locale: locale), team.managerTargets))
        }
        return messages
    }

    /// Renders one cycle for a team and commits every part to the outbox; returns the report ids.
    @discardableResult
    public func queue(team: Team, schedule: Schedule?, period: Period, now: Date = Date()) throws -> [(ReportRecord, [Delivery])] {
        try messages(team: team, period: period, now: now).map { markdown, targets in
            let record = ReportRecord(
                team: team.id, schedule: schedule?.id, periodStart: period.start, periodEnd: period.end, markdown: markdown,
                createdAt: Date())
            return try store.enqueue(record, parts: try outboxParts(for: team, markdown: markdown, targets: targets))
        }
    }

    /// `narrate now --dry-run`: the exact request bodies, nothing recorded or sent.
    public func dryRun(team: String?, schedule: String?, now: Date = Date()) throws -> [DryRunRequest] {
        var requests: [DryRunRequest] = []
        for (team, schedule, period) in try cycles(team: team, schedule: schedule, kind: nil, at: nil, now: now) {
            for (markdown, targets) in try messages(team: team, period: period, now: now) {
                let record = ReportRecord(
                    team: team.id, schedule: schedule?.id, periodStart: period.start, periodEnd: period.end, markdown: markdown,
                    createdAt: now)
                for (target, bodies) in try outboxParts(for: team, markdown: markdown, targets: targets) {
                    for (index, body) in bodies.enumerated() {
                        let delivery = Delivery(
                            report: 0, target: target.id, kind: target.kind.rawValue, part: index + 1, parts: bodies.count,
                            body: body, nextAttemptAt: now, createdAt: now)
                        var request = DryRunRequest(
                            team: team.id, target: target.id, part: index + 1, parts: bodies.count, method: "WRITE",
                            url: target.kind.rawValue, body: body)
                        if let chat = target.kind.chatTarget {
                            let context = DeliveryContext(target: target, report: record, environment: ProcessInfo.processInfo.environment, now: now)
                            let built = try chat.request(for: delivery, context: context)
                            request.method = built.method
                            request.url = RedactedURL.describe(built.url)
                            request.body = String(decoding: built.body, as: UTF8.self)
                        } else if target.kind == .file {
                            request.url = Courier(store: store, config: config, stateDir: stateDir, logger: logger).filePath(target, report: record)
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
    public func now(
        team: String?, schedule: String?, wait: TimeInterval = 300, policy: RetryPolicy = RetryPolicy(),
        output: @escaping @Sendable (String) -> Void = { print($0, terminator: $0.hasSuffix("\n") ? "" : "\n") },
        now: Date = Date()
    ) async throws -> [TargetResult] {
        var reportIDs: [Int64] = []
        for (team, schedule, period) in try cycles(team: team, schedule: schedule, kind: nil, at: nil, now: now) {
            for (stored, deliveries) in try queue(team: team, schedule: schedule, period: period, now: now) {
                logger.info("report \(stored.id) for \(team.id): \(deliveries.count) parts queued")
                reportIDs.append(stored.id)
            }
        }
        let courier = Courier(store: store, config: config, stateDir: stateDir, logger: logger, policy: policy, output: output)
        // Earlier reports' unfinished parts go out too, in order, before time runs out.
        _ = try await courier.deliver(reports: nil, until: Date().addingTimeInterval(wait))
        let deliveries = try store.deliveries(reports: reportIDs)
        var results: [TargetResult] = []
        for id in reportIDs {
            let record = try store.report(id)
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

    /// Re-queues parked parts: by id, or all of them.
    public func retry(ids: [Int64]?) throws -> Int {
        try store.retryParked(ids: ids)
    }
}
