import Foundation
import Logging
import NarrateModel
import NarrateTargets
import NarratePlatform
import NarrateStore

/// Delivers outbox parts: in order per target, each target independently of the others (a
/// webhook that hangs for its whole timeout delays only its own parts), at most `rate` messages
/// a second per target, retrying what may succeed later and parking what will not.
///
/// Every error text it keeps or logs passes through the redactor first: a platform that quotes
/// the token back in its error body does not get it into the outbox or the log.
public struct Courier: Sendable {
    public let outbox: any Outbox & ReportArchive
    public let config: Config
    public let transport: any HTTPTransport
    public let secrets: SecretResolver
    public let stateDir: String
    public let logger: Logger
    public var policy: RetryPolicy
    /// The context's clock: the outbox's instants (due times, claims, sends) are written and read
    /// on it; waits are real durations (``WallClock/realSeconds(_:)``).
    public let clock: any WallClock
    /// Where `stdout` targets write.
    public let output: @Sendable (String) -> Void
    /// Makes a person's check-in link, valid until the given time, for a notice being sent (nil
    /// when the service has no `public_url`).
    public var checkInLink: (@Sendable (_ person: String, _ until: Date) async throws -> String?)?

    public init(
        outbox: any Outbox & ReportArchive, config: Config, transport: any HTTPTransport, secrets: SecretResolver,
        stateDir: String, logger: Logger, policy: RetryPolicy = RetryPolicy(), clock: any WallClock,
        output: @escaping @Sendable (String) -> Void
    ) {
        self.outbox = outbox
        self.config = config
        self.transport = transport
        self.secrets = secrets
        self.stateDir = stateDir
        self.logger = logger
        self.policy = policy
        self.clock = clock
        self.output = output
    }

    var redactor: Redactor { secrets.redactor }

    /// Works through the unfinished parts of `reports` (all reports when nil) until each is sent
    /// or parked, or until `deadline`. Returns the reports' parts as they stand then (none when
    /// `reports` is nil: the whole outbox is not worth reading back).
    @discardableResult
    public func deliver(reports: [Int64]? = nil, until deadline: Date = .distantFuture) async throws -> [Delivery] {
        // A lease is the target's timeout and a grace, in real seconds.
        let revived = try await outbox.requeueAbandoned(now: clock.now()) { id in clock.clockSeconds((config.target(id)?.effectiveTimeout ?? 30) + 5) }
        if revived > 0 { logger.notice("re-queued \(revived) part(s) left in flight by a stopped process") }
        let targets = try await outbox.unfinishedTargets(reports: reports)
        let gate = RateGate()
        let sent = SentParts(outbox: outbox)
        try await withThrowingTaskGroup(of: Void.self) { group in
            for target in targets {
                group.addTask { try await drain(target: target, reports: reports, until: deadline, gate: gate, sent: sent) }
            }
            try await group.waitForAll()
        }
        logger.debug("recorded \(sent.parts.load(ordering: .relaxed)) sent or claimed parts in \(sent.writes.load(ordering: .relaxed)) writes")
        guard let reports else { return [] }
        return try await outbox.deliveries(reports: reports)
    }

    /// One target's parts, in order: the first unfinished part of each report goes next, and
    /// the parts after it follow as long as each is sent (one query a round, not one a part).
    func drain(target: String, reports: [Int64]?, until deadline: Date, gate: RateGate, sent: SentParts) async throws {
        var records: [Int64: ReportRecord] = [:]
        while !Task.isCancelled {
            let unfinished = try await outbox.unfinishedDeliveries(reports: reports, target: target)
            if unfinished.isEmpty { return }
            var heads: [Delivery] = []
            var seen: Set<Int64> = []
            for delivery in unfinished where seen.insert(delivery.report).inserted { heads.append(delivery) }
            let now = clock.now()
            let ready = heads.filter { $0.state == .pending && $0.nextAttemptAt <= now }
            if ready.isEmpty {
                // Only parts another live process is sending: they are its to finish.
                if heads.allSatisfy({ $0.state == .sending }) { return }
                let next = heads.filter { $0.state == .pending }.map(\.nextAttemptAt).min() ?? now.addingTimeInterval(1)
                if next >= deadline { return }
                let wake = max(next, now.addingTimeInterval(0.01))
                try await Pause.sleep(seconds: clock.realSeconds(wake.timeIntervalSince(now)))
                continue
            }
            for head in ready {
                let chain = unfinished.filter { $0.report == head.report && $0.part >= head.part }
                var claimed = false
                for (index, delivery) in chain.enumerated() {
                    guard delivery.state == .pending, delivery.nextAttemptAt <= now else { break }
                    let next = index + 1 < chain.count ? chain[index + 1] : nil
                    let following = next.flatMap { $0.state == .pending && $0.nextAttemptAt <= now ? $0 : nil }
                    let result = try await attempt(
                        delivery, claimed: claimed, next: following, gate: gate, sent: sent, records: &records)
                    guard result.sent, following != nil else { break }
                    // The next part was claimed in the same transaction that recorded this one as
                    // sent: it is ours to send now, deadline or not.
                    claimed = result.nextClaimed
                    if !claimed { break }
                }
            }
            if clock.now() >= deadline { return }
        }
    }

    /// Sends one part (claiming it first unless `claimed`). When it is sent and `next` is the
    /// following part of its report, the result is recorded and `next` claimed in one write.
    func attempt(
        _ delivery: Delivery, claimed: Bool, next: Delivery?, gate: RateGate, sent: SentParts,
        records: inout [Int64: ReportRecord]
    ) async throws -> (sent: Bool, nextClaimed: Bool) {
        if !claimed {
            guard try await sent.record(.claim(delivery.id, at: clock.now())) else { return (false, false) }
        }
        var delivery = delivery
        delivery.attempts += 1
        guard let target = config.target(delivery.target) else {
            try await park(delivery, "target \(delivery.target) is no longer in the config")
            return (false, false)
        }
        if records[delivery.report] == nil { records[delivery.report] = try await outbox.report(delivery.report) }
        guard let report = records[delivery.report] else {
            try await park(delivery, "report \(delivery.report) is missing")
            return (false, false)
        }
        await gate.wait(for: target.id, rate: target.effectiveRate)
        let outcome = await send(delivery, to: target, report: report)
        await gate.finished(target.id)
        let nextClaimed = try await record(outcome, for: delivery, target: target, claiming: next, sent: sent)
        if case .sent = outcome { return (true, nextClaimed) }
        return (false, false)
    }

    /// What delivering a part means, built by the target kind's descriptor: the courier and
    /// `--dry-run` both call this.
    public func action(for delivery: Delivery, to target: Target, report: ReportRecord) async throws -> DeliveryAction {
        var delivery = delivery
        // A notice carries the person's check-in link: made now, so the store never holds one.
        if report.kind == "notice", let person = report.person, delivery.body.contains(CheckInLink.placeholder) {
            let link = try await checkInLink?(person, max(report.periodEnd, clock.now()).addingTimeInterval(2 * 86_400))
            delivery.body = delivery.body.replacingOccurrences(of: CheckInLink.placeholder, with: link ?? "")
        }
        let context = DeliveryContext(
            report: report, now: clock.now(), stateDir: stateDir, zone: config.zone(ofTeam: report.team),
            reveal: { [secrets] in try secrets.reveal($0) }, protect: { [redactor] in redactor.register($0) })
        return try target.descriptor.action(for: delivery, to: target, context: context)
    }

    func send(_ delivery: Delivery, to target: Target, report: ReportRecord) async -> AttemptOutcome {
        let action: DeliveryAction
        do {
            action = try await self.action(for: delivery, to: target, report: report)
        } catch {
            return .park(error: "\(error)")
        }
        return await Self.perform(action, for: delivery, to: target, transport: transport, now: { clock.now() }, output: output)
    }

    /// Carries out one action and says what became of it: the courier's attempts, and a message
    /// sent outside the outbox (`narrate init`'s test message).
    public static func perform(
        _ action: DeliveryAction, for delivery: Delivery, to target: Target, transport: any HTTPTransport,
        now: () -> Date, output: @Sendable (String) -> Void
    ) async -> AttemptOutcome {
        switch action {
        case .print(let text):
            output(text)
            return .sent(receipt: nil)
        case .writeFile(let path, let text):
            do {
                try AtomicFile.write(text, to: path)
                return .sent(receipt: path)
            } catch {
                return .retry(after: nil, error: "\(error)")
            }
        case .http(let request):
            do {
                let started = ContinuousClock.now
                let response = try await transport.send(request)
                DeliveryMetrics.latency(kind: delivery.kind, started.duration(to: .now))
                return target.descriptor.classify(response, for: delivery, now: now())
            } catch let error as TransportError {
                let message = (error.isTimeout ? "timeout: " : "network: ") + OneLine.clean(error.message)
                return error.isPermanent ? .park(error: message) : .retry(after: nil, error: message)
            } catch is CancellationError {
                return .retry(after: 0, error: "cancelled while sending")
            } catch {
                return .retry(after: nil, error: "\(error)")
            }
        }
    }

    /// Records what became of an attempt. A sent part's result and the claim of `next` are one
    /// write; returns whether `next` was claimed.
    @discardableResult
    func record(
        _ outcome: AttemptOutcome, for delivery: Delivery, target: Target, claiming next: Delivery? = nil, sent: SentParts
    ) async throws -> Bool {
        let label = "\(target.id) part \(delivery.part)/\(delivery.parts) of report \(delivery.report)"
        let now = clock.now()
        switch outcome {
        case .sent(let receipt):
            let claimed = try await sent.record(SentPart(id: delivery.id, receipt: receipt.map(redactor.redact), at: now, next: next?.id))
            DeliveryMetrics.part(kind: delivery.kind, .sent)
            logger.info("sent \(label)", metadata: ["attempts": "\(delivery.attempts)"])
            return claimed
        case .park(let error):
            try await park(delivery, error)
        case .reroute(let route, let error):
            let error = redactor.redact(error)
            logger.warning("\(label): \(error)")
            for other in try await outbox.unfinishedDeliveries(reports: [delivery.report], target: delivery.target) {
                try await outbox.finishAttempt(
                    other.id, state: other.id == delivery.id ? .pending : other.state, error: error, nextAttemptAt: now,
                    route: route, at: now)
            }
        case .retry(let after, let error):
            let error = redactor.redact(error)
            let age = now.timeIntervalSince(delivery.createdAt)
            let maxAttempts = target.maxAttempts ?? policy.maxAttempts
            let maxAge = target.maxAge.map(TimeInterval.init) ?? policy.maxAge
            // The limit counts from the last `narrate retry`; `attempts` keeps counting across them.
            let tries = delivery.attempts - delivery.attemptsBase
            if tries >= maxAttempts || age >= maxAge {
                try await park(delivery, "\(error) (gave up after \(Words.count(tries, "attempt")))")
                return false
            }
            let delay = policy.delay(afterAttempt: delivery.attempts, retryAfter: after)
            try await outbox.finishAttempt(
                delivery.id, state: .pending, error: error, nextAttemptAt: now.addingTimeInterval(clock.clockSeconds(delay)), at: now)
            DeliveryMetrics.part(kind: delivery.kind, .retried)
            logger.notice("\(label) will be retried in \(String(format: "%.1f", delay)) s: \(error)")
        }
        return false
    }

    /// Parks a part and the later parts of the same report for the same target, which must not overtake it.
    func park(_ delivery: Delivery, _ error: String) async throws {
        let error = redactor.redact(error)
        let now = clock.now()
        try await outbox.finishAttempt(delivery.id, state: .parked, error: error, at: now)
        DeliveryMetrics.part(kind: delivery.kind, .parked)
        logger.error("parked \(delivery.target) part \(delivery.part)/\(delivery.parts) of report \(delivery.report): \(error)")
        for later in try await outbox.unfinishedDeliveries(reports: [delivery.report], target: delivery.target)
        where later.part > delivery.part {
            try await outbox.finishAttempt(later.id, state: .parked, error: "not sent: part \(delivery.part) was parked", at: now)
        }
    }
}
