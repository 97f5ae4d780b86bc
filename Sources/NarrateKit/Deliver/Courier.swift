import Foundation
import Logging

/// Delivers outbox parts: in order per target, at most `rate` messages a second per target,
/// retrying what may succeed later and parking what will not.
public struct Courier: Sendable {
    public let store: Store
    public let config: Config
    public let stateDir: String
    public let logger: Logger
    public var policy: RetryPolicy
    public var environment: [String: String]
    /// Where `stdout` targets write.
    public var output: @Sendable (String) -> Void

    public init(
        store: Store, config: Config, stateDir: String, logger: Logger, policy: RetryPolicy = RetryPolicy(),
        environment: [String: String] = ProcessInfo.processInfo.environment,
        output: @escaping @Sendable (String) -> Void = { print($0, terminator: $0.hasSuffix("\n") ? "" : "\n") }
    ) {
        self.store = store
        self.config = config
        self.stateDir = stateDir
        self.logger = logger
        self.policy = policy
        self.environment = environment
        self.output = output
    }

    /// Works through the unfinished parts of `reports` (all reports when nil) until each is sent
    /// or parked, or until `deadline`. Returns the reports' parts as they stand then.
    @discardableResult
    public func deliver(reports: [Int64]? = nil, until deadline: Date = .distantFuture) async throws -> [Delivery] {
        let gate = RateGate()
        while true {
            let revived = try store.requeueAbandoned { id in (config.target(id)?.timeout ?? 30) + 5 }
            if revived > 0 { logger.notice("re-queued \(revived) part(s) left in flight by a stopped process") }
            let unfinished = try store.unfinishedDeliveries(reports: reports)
            if unfinished.isEmpty { break }
            // Only the first unfinished part of each report and target may go: parts stay in order.
            var heads: [Delivery] = []
            var seen: Set<String> = []
            for delivery in unfinished where seen.insert("\(delivery.report)/\(delivery.target)").inserted {
                heads.append(delivery)
            }
            let now = Date()
            let ready = heads.filter { $0.state == .pending && $0.nextAttemptAt <= now }
            if ready.isEmpty {
                // Only parts another live process is sending: they are its to finish.
                if heads.allSatisfy({ $0.state == .sending }) { break }
                // A part in flight elsewhere is checked again shortly (it may have been abandoned).
                let next = heads.filter { $0.state == .pending }.map(\.nextAttemptAt).min() ?? now.addingTimeInterval(1)
                let wake = min(max(next, now.addingTimeInterval(0.01)), deadline)
                if wake >= deadline && next >= deadline { break }
                try await Task.sleep(nanoseconds: UInt64(wake.timeIntervalSince(now) * 1_000_000_000))
                continue
            }
            try await withThrowingTaskGroup(of: Void.self) { group in
                for delivery in ready {
                    group.addTask { try await attempt(delivery, gate: gate) }
                }
                try await group.waitForAll()
            }
            if Date() >= deadline { break }
        }
        return try store.deliveries(reports: reports)
    }

    func attempt(_ delivery: Delivery, gate: RateGate) async throws {
        guard try store.beginSending(delivery.id) else { return }
        var delivery = delivery
        delivery.attempts += 1
        guard let target = config.target(delivery.target) else {
            try park(delivery, "target \(delivery.target) is no longer in the config")
            return
        }
        guard let report = try store.report(delivery.report) else {
            try park(delivery, "report \(delivery.report) is missing")
            return
        }
        await gate.wait(for: target.id, rate: target.rate ?? target.kind.defaultRate)
        let outcome = await send(delivery, to: target, report: report)
        try record(outcome, for: delivery, target: target)
    }

    func send(_ delivery: Delivery, to target: Target, report: ReportRecord) async -> AttemptOutcome {
        switch target.kind {
        case .stdout:
            output(delivery.body)
            return .sent(receipt: nil)
        case .file:
            let path = filePath(target, report: report)
            do {
                try AtomicFile.write(delivery.body.hasSuffix("\n") ? delivery.body : delivery.body + "\n", to: path)
                return .sent(receipt: path)
            } catch {
                return .retry(after: nil, error: "\(error)")
            }
        default:
            guard let chat = target.kind.chatTarget else { return .park(error: "no protocol for \(target.kind.rawValue)") }
            let context = DeliveryContext(target: target, report: report, environment: environment, now: Date())
            let request: HTTPClient.Request
            do {
                request = try chat.request(for: delivery, context: context)
            } catch {
                return .park(error: "\(error)")
            }
            do {
                let response = try await HTTPClient.shared.send(request)
                return chat.outcome(of: response, for: delivery)
            } catch let error as HTTPClient.TransportError {
                return .retry(after: nil, error: (error.isTimeout ? "timeout: " : "network: ") + Self.redact(error.message, request.url))
            } catch {
                return .retry(after: nil, error: "\(error)")
            }
        }
    }

    /// curl's messages may quote the URL; keep only its redacted form.
    static func redact(_ message: String, _ url: String) -> String {
        message.replacingOccurrences(of: url, with: RedactedURL.describe(url))
    }

    func record(_ outcome: AttemptOutcome, for delivery: Delivery, target: Target) throws {
        let label = "\(target.id) part \(delivery.part)/\(delivery.parts) of report \(delivery.report)"
        switch outcome {
        case .sent(let receipt):
            try store.finishAttempt(delivery.id, state: .sent, receipt: receipt)
            logger.info("sent \(label)", metadata: ["attempts": "\(delivery.attempts)"])
        case .park(let error):
            try park(delivery, error)
        case .reroute(let route, let error):
            logger.warning("\(label): \(error)")
            for other in try store.unfinishedDeliveries(reports: [delivery.report]) where other.target == delivery.target {
                try store.finishAttempt(
                    other.id, state: other.id == delivery.id ? .pending : other.state, error: error, nextAttemptAt: Date(),
                    route: route)
            }
        case .retry(let after, let error):
            let age = Date().timeIntervalSince(delivery.createdAt)
            let maxAttempts = target.maxAttempts ?? policy.maxAttempts
            let maxAge = target.maxAge.map(TimeInterval.init) ?? policy.maxAge
            if delivery.attempts >= maxAttempts || age >= maxAge {
                try park(delivery, "\(error) (gave up after \(delivery.attempts) attempts)")
                return
            }
            let delay = policy.delay(afterAttempt: delivery.attempts, retryAfter: after)
            try store.finishAttempt(delivery.id, state: .pending, error: error, nextAttemptAt: Date().addingTimeInterval(delay))
            logger.notice("\(label) will be retried in \(String(format: "%.1f", delay)) s: \(error)")
        }
    }

    /// Parks a part and the later parts of the same report for the same target, which must not overtake it.
    func park(_ delivery: Delivery, _ error: String) throws {
        try store.finishAttempt(delivery.id, state: .parked, error: error)
        logger.error("parked \(delivery.target) part \(delivery.part)/\(delivery.parts) of report \(delivery.report): \(error)")
        for later in try store.unfinishedDeliveries(reports: [delivery.report])
        where later.target == delivery.target && later.part > delivery.part {
            try store.finishAttempt(later.id, state: .parked, error: "not sent: part \(delivery.part) was parked")
        }
    }

    func filePath(_ target: Target, report: ReportRecord) -> String {
        let zone = config.zone(ofTeam: report.team)
        return Self.expand(
            target.settings["path"] ?? "reports/{team}-{date}.md", team: report.team, schedule: report.schedule ?? "manual",
            lastDay: LocalDate(report.periodEnd.addingTimeInterval(-1), in: zone), stateDir: stateDir)
    }

    /// A file target's path: `{team}`, `{date}` (the period's last day) and `{schedule}`
    /// filled in; a relative path is under the state dir.
    static func expand(_ pattern: String, team: String, schedule: String, lastDay: LocalDate, stateDir: String) -> String {
        let path = pattern.replacingOccurrences(of: "{team}", with: team)
            .replacingOccurrences(of: "{date}", with: lastDay.description)
            .replacingOccurrences(of: "{schedule}", with: schedule)
        return path.hasPrefix("/") ? path : stateDir + "/" + path
    }
}

/// Spaces out messages to one target.
actor RateGate {
    private var last: [String: Date] = [:]

    func wait(for target: String, rate: Double) async {
        let interval = 1 / max(rate, 0.001)
        let now = Date()
        let earliest = last[target].map { $0.addingTimeInterval(interval) } ?? now
        last[target] = max(earliest, now)
        if earliest > now {
            try? await Task.sleep(nanoseconds: UInt64(earliest.timeIntervalSince(now) * 1_000_000_000))
        }
    }
}
