import Foundation
import NarrateModel
import NarrateStore
import PostgresNIO

extension PostgresStore {
    static let deliveryColumns = """
        id, report, target, kind, part, parts, body, state, attempts, attempts_base, next_attempt_at, last_error, sent_at, \
        receipt, route, created_at
        """

    static func delivery(_ row: PostgresRow) throws -> Delivery {
        let (id, report, target, kind, part, parts, body, state, attempts, attemptsBase, next, lastError, sentAt, receipt, route, created) =
            try row.decode(
                (Int64, Int64, String, String, Int, Int, String, String, Int, Int, Double, String?, Double?, String?, String?, Double)
                    .self)
        return Delivery(
            id: id, report: report, target: target, kind: kind, part: part, parts: parts, body: body,
            state: Delivery.State(rawValue: state) ?? .pending, attempts: attempts, attemptsBase: attemptsBase,
            nextAttemptAt: Date(timeIntervalSince1970: next), lastError: lastError, sentAt: sentAt.map(Date.init(timeIntervalSince1970:)),
            receipt: receipt, route: route, createdAt: Date(timeIntervalSince1970: created))
    }

    static let reportColumns = "id, team, schedule, period_start, period_end, markdown, created_at, kind, person"

    static func report(_ row: PostgresRow) throws -> ReportRecord {
        let (id, team, schedule, start, end, markdown, created, kind, person) = try row.decode(
            (Int64, String, String?, Double, Double, String, Double, String, String?).self)
        return ReportRecord(
            id: id, team: team, schedule: schedule, periodStart: Date(timeIntervalSince1970: start),
            periodEnd: Date(timeIntervalSince1970: end), markdown: markdown, createdAt: Date(timeIntervalSince1970: created), kind: kind,
            person: person)
    }

    // MARK: outbox

    public func enqueue(_ report: ReportRecord, parts: [OutboxParts], now: Date) async throws -> (ReportRecord, [Delivery]) {
        try await transaction { connection in try await Self.enqueue(report, parts: parts, now: now, connection, logger) }
    }

    static func enqueue(
        _ report: ReportRecord, parts: [OutboxParts], now: Date, _ connection: PostgresConnection, _ logger: Logger
    ) async throws -> (ReportRecord, [Delivery]) {
        let rows = try await connection.rows(
            """
            INSERT INTO report (team, schedule, period_start, period_end, markdown, created_at, kind, person)
            VALUES (\(report.team), \(report.schedule), \(report.periodStart.timeIntervalSince1970),
                    \(report.periodEnd.timeIntervalSince1970), \(report.markdown), \(now.timeIntervalSince1970), \(report.kind),
                    \(report.person))
            RETURNING id
            """, logger)
        var stored = report
        stored.id = try rows[0].decode(Int64.self)
        // Delivered to every listening instance when (and only if) the transaction commits.
        try await connection.rows("NOTIFY \(unescaped: Self.outboxChannel)", logger)
        // Every part in one statement: a round trip a part was most of queueing a cycle.
        var deliveries: [Delivery] = []
        for group in parts {
            for (index, body) in group.bodies.enumerated() {
                var delivery = Delivery(
                    report: stored.id, target: group.target, kind: group.kind.rawValue, part: index + 1, parts: group.bodies.count,
                    body: body, nextAttemptAt: now, createdAt: now)
                delivery.route = group.route
                deliveries.append(delivery)
            }
        }
        guard !deliveries.isEmpty else { return (stored, []) }
        let ids = try await connection.rows(
            """
            INSERT INTO delivery (report, target, kind, part, parts, body, state, attempts, next_attempt_at, created_at, route)
            SELECT \(stored.id), target, kind, part, parts, body, 'pending', 0, \(now.timeIntervalSince1970), \(now.timeIntervalSince1970),
                   CASE WHEN routed THEN route END
            FROM unnest(\(deliveries.map(\.target))::text[], \(deliveries.map(\.kind))::text[], \(deliveries.map { Int64($0.part) })::bigint[],
                        \(deliveries.map { Int64($0.parts) })::bigint[], \(deliveries.map(\.body))::text[],
                        \(deliveries.map { $0.route ?? "" })::text[], \(deliveries.map { $0.route != nil })::boolean[])
                 WITH ORDINALITY AS part(target, kind, part, parts, body, route, routed, position)
            ORDER BY position
            RETURNING id, target, part
            """, logger)
        var position: [String: Int] = [:]
        for (index, delivery) in deliveries.enumerated() { position["\(delivery.target)\u{1F}\(delivery.part)"] = index }
        for row in ids {
            let (id, target, part) = try row.decode((Int64, String, Int).self)
            if let index = position["\(target)\u{1F}\(part)"] { deliveries[index].id = id }
        }
        return (stored, deliveries)
    }

    public func unfinishedDeliveries(reports: [Int64]?, target: String?) async throws -> [Delivery] {
        try await rows(
            """
            SELECT \(unescaped: Self.deliveryColumns) FROM delivery
            WHERE state IN ('pending','sending') AND (\(reports)::bigint[] IS NULL OR report = ANY(\(reports)::bigint[]))
              AND (\(target)::text IS NULL OR target = \(target))
            ORDER BY report, target, part
            """
        ).map(Self.delivery)
    }

    public func unfinishedTargets(reports: [Int64]?) async throws -> [String] {
        try await rows(
            """
            SELECT DISTINCT target FROM delivery
            WHERE state IN ('pending','sending') AND (\(reports)::bigint[] IS NULL OR report = ANY(\(reports)::bigint[]))
            ORDER BY target
            """
        ).map { try $0.decode(String.self) }
    }

    public func deliveries(reports: [Int64]?, states: [Delivery.State]?) async throws -> [Delivery] {
        let states = states?.map(\.rawValue)
        return try await rows(
            """
            SELECT \(unescaped: Self.deliveryColumns) FROM delivery
            WHERE (\(reports)::bigint[] IS NULL OR report = ANY(\(reports)::bigint[]))
              AND (\(states)::text[] IS NULL OR state = ANY(\(states)::text[]))
            ORDER BY report, target, part
            """
        ).map(Self.delivery)
    }

    public func report(_ id: Int64) async throws -> ReportRecord? {
        try await rows("SELECT \(unescaped: Self.reportColumns) FROM report WHERE id = \(id)").first.map(Self.report)
    }

    public func reports(team: String?, kinds: [String], limit: Int) async throws -> [ReportRecord] {
        try await rows(
            """
            SELECT \(unescaped: Self.reportColumns) FROM report
            WHERE kind = ANY(\(kinds)) AND (\(team)::text IS NULL OR team = \(team))
            ORDER BY id DESC LIMIT \(limit)
            """
        ).map(Self.report)
    }

    /// The lease: a compare-and-set on the part's row. Another instance updating the same row
    /// waits for this one's commit, then finds the part `sending` and updates nothing.
    public func beginSending(_ id: Int64, now: Date) async throws -> Bool {
        try await Self.wrap { try await connections.withConnection { connection in try await Self.claim(id, now: now, connection, logger) } }
    }

    static func claim(_ id: Int64, now: Date, _ connection: PostgresConnection, _ logger: Logger) async throws -> Bool {
        try await connection.rows(
            """
            UPDATE delivery SET state = 'sending', attempts = attempts + 1, claimed_at = \(now.timeIntervalSince1970)
            WHERE id = \(id) AND state = 'pending' RETURNING id
            """, logger
        ).count == 1
    }

    /// One statement for the whole batch (atomic as a statement is): the parts sent, then the
    /// claims of their next parts, each a compare-and-set as in ``beginSending(_:now:)``.
    public func finishSent(_ parts: [SentPart]) async throws -> [Bool] {
        let sent = parts.filter { $0.id != nil }
        let claims = parts.filter { $0.next != nil }
        let claimed = try await rows(
            """
            WITH done_parts AS (
                UPDATE delivery
                SET state = 'sent', last_error = NULL, sent_at = done.at,
                    receipt = CASE WHEN done.has_receipt THEN done.receipt ELSE delivery.receipt END
                FROM unnest(\(sent.map { $0.id ?? 0 })::bigint[], \(sent.map { $0.receipt ?? "" })::text[],
                            \(sent.map { $0.receipt != nil })::boolean[], \(sent.map { $0.at.timeIntervalSince1970 })::float8[])
                     AS done(id, receipt, has_receipt, at)
                WHERE delivery.id = done.id
                RETURNING delivery.id
            )
            UPDATE delivery SET state = 'sending', attempts = attempts + 1, claimed_at = next.at
            FROM unnest(\(claims.map { $0.next ?? 0 })::bigint[], \(claims.map { $0.at.timeIntervalSince1970 })::float8[]) AS next(id, at)
            WHERE delivery.id = next.id AND delivery.state = 'pending'
            RETURNING delivery.id
            """
        ).map { try $0.decode(Int64.self) }
        let won = Set(claimed)
        return parts.map { part in part.next.map(won.contains) ?? false }
    }

    public func finishAttempt(
        _ id: Int64, state: Delivery.State, error: String?, receipt: String?, nextAttemptAt: Date?, route: String?, at: Date
    ) async throws {
        let sent = state == .sent
        try await rows(
            """
            UPDATE delivery SET state = \(state.rawValue),
              last_error = CASE WHEN \(sent) THEN NULL ELSE coalesce(\(error)::text, last_error) END,
              receipt = coalesce(\(receipt)::text, receipt),
              next_attempt_at = coalesce(\(nextAttemptAt?.timeIntervalSince1970)::double precision, next_attempt_at),
              route = coalesce(\(route)::text, route),
              sent_at = CASE WHEN \(sent) THEN \(at.timeIntervalSince1970) ELSE sent_at END
            WHERE id = \(id)
            """)
    }

    /// Parts another instance left `sending` past their lease go back to the queue. The rows are
    /// locked (`FOR UPDATE SKIP LOCKED`): a part whose sender is finishing right now is left
    /// to it, and two instances never requeue the same part.
    @discardableResult
    public func requeueAbandoned(now: Date, grace: (String) -> TimeInterval) async throws -> Int {
        try await transaction { connection in
            let sending = try await connection.rows(
                "SELECT id, target, claimed_at FROM delivery WHERE state = 'sending' FOR UPDATE SKIP LOCKED", logger)
            var abandoned: [Int64] = []
            for row in sending {
                let (id, target, claimed) = try row.decode((Int64, String, Double?).self)
                if (claimed ?? 0) + grace(target) < now.timeIntervalSince1970 { abandoned.append(id) }
            }
            guard !abandoned.isEmpty else { return 0 }
            return try await connection.rows(
                "UPDATE delivery SET state = 'pending' WHERE id = ANY(\(abandoned)) AND state = 'sending' RETURNING id", logger
            ).count
        }
    }

    @discardableResult
    public func retryParked(ids: [Int64]?, now: Date) async throws -> Int {
        try await transaction { connection in
            let count = try await connection.rows(
                """
                UPDATE delivery SET state = 'pending', attempts_base = attempts, next_attempt_at = \(now.timeIntervalSince1970),
                  created_at = \(now.timeIntervalSince1970)
                WHERE state = 'parked' AND (\(ids)::bigint[] IS NULL OR id = ANY(\(ids)::bigint[]))
                RETURNING id
                """, logger
            ).count
            if count > 0 { try await connection.rows("NOTIFY \(unescaped: Self.outboxChannel)", logger) }
            return count
        }
    }

    public func outboxBacklog() async throws -> (count: Int, oldest: Date?) {
        let row = try await rows("SELECT count(*), min(created_at) FROM delivery WHERE state IN ('pending','sending')")[0]
        let (count, oldest) = try row.decode((Int, Double?).self)
        return (count, oldest.map(Date.init(timeIntervalSince1970:)))
    }

    // MARK: runs

    public func claim(_ run: Run) async throws -> Bool {
        try await Self.wrap { try await connections.withConnection { connection in try await Self.insert(run, connection, logger) } }
    }

    static func insert(_ run: Run, _ connection: PostgresConnection, _ logger: Logger) async throws -> Bool {
        try await connection.rows(
            """
            INSERT INTO run (schedule, team, slot, state, at, detail, manual)
            VALUES (\(run.schedule), \(run.team), \(run.slot.timeIntervalSince1970), \(run.state.rawValue),
                    \(run.at.timeIntervalSince1970), \(run.detail), \(run.manual))
            ON CONFLICT (schedule, slot) DO NOTHING RETURNING id
            """, logger
        ).count == 1
    }

    public func claim(_ run: Run, queueing reports: [QueuedReport], now: Date) async throws -> [(ReportRecord, [Delivery])]? {
        try await claim([(run, reports)], now: now)[0]
    }

    /// Every slot's claim and reports in one transaction. Another instance claiming the same slot
    /// at once waits on the run row's unique key until this commits, then finds it taken.
    public func claim(_ slots: [(Run, [QueuedReport])], now: Date) async throws -> [[(ReportRecord, [Delivery])]?] {
        try await transaction { connection in
            var results: [[(ReportRecord, [Delivery])]?] = []
            for (run, reports) in slots {
                guard try await Self.insert(run, connection, logger) else {
                    results.append(nil)
                    continue
                }
                var queued: [(ReportRecord, [Delivery])] = []
                for report in reports {
                    queued.append(try await Self.enqueue(report.record, parts: report.parts, now: now, connection, logger))
                }
                let ids = queued.map { "\($0.0.id)" }.joined(separator: ", ")
                let parts = queued.reduce(0) { $0 + $1.1.count }
                let detail = "report\(queued.count == 1 ? "" : "s") \(ids): \(parts) part\(parts == 1 ? "" : "s")"
                try await connection.rows(
                    "UPDATE run SET detail = \(detail) WHERE schedule = \(run.schedule) AND slot = \(run.slot.timeIntervalSince1970)",
                    logger)
                results.append(queued)
            }
            return results
        }
    }

    public func finish(schedule: String, slot: Date, state: Run.State, detail: String?, at: Date) async throws {
        try await rows(
            """
            UPDATE run SET state = \(state.rawValue), detail = \(detail), at = \(at.timeIntervalSince1970)
            WHERE schedule = \(schedule) AND slot = \(slot.timeIntervalSince1970)
            """)
    }

    static let runColumns = "id, schedule, team, slot, state, at, detail, manual"

    static func run(_ row: PostgresRow) throws -> Run {
        let (id, schedule, team, slot, state, at, detail, manual) = try row.decode(
            (Int64, String, String, Double, String, Double, String?, Bool).self)
        return Run(
            id: id, schedule: schedule, team: team, slot: Date(timeIntervalSince1970: slot), state: Run.State(rawValue: state) ?? .failed,
            at: Date(timeIntervalSince1970: at), detail: detail, manual: manual)
    }

    public func lastRun(schedule: String, state: Run.State?, before: Date?, manual: Bool?) async throws -> Run? {
        try await rows(
            """
            SELECT \(unescaped: Self.runColumns) FROM run
            WHERE schedule = \(schedule) AND (\(state?.rawValue)::text IS NULL OR state = \(state?.rawValue))
              AND (\(before?.timeIntervalSince1970)::double precision IS NULL OR slot < \(before?.timeIntervalSince1970))
              AND (\(manual)::boolean IS NULL OR manual = \(manual))
            ORDER BY slot DESC, id DESC LIMIT 1
            """
        ).first.map(Self.run)
    }

    public func runs(since: Date?, teams: [String]?) async throws -> [Run] {
        try await rows(
            """
            SELECT \(unescaped: Self.runColumns) FROM run
            WHERE slot >= \(since?.timeIntervalSince1970 ?? 0) AND (\(teams)::text[] IS NULL OR team = ANY(\(teams)::text[]))
            ORDER BY slot, id
            """
        ).map(Self.run)
    }

    // MARK: notices

    public func claim(_ notice: NoticeRecord, queueing messages: [QueuedReport], now: Date) async throws -> Bool {
        try await transaction { connection in
            let inserted = try await connection.rows(
                """
                INSERT INTO notice (key, person, kind, detail, created_at)
                VALUES (\(notice.key), \(notice.person), \(notice.kind.rawValue), \(notice.detail), \(now.timeIntervalSince1970))
                ON CONFLICT (key) DO NOTHING RETURNING key
                """, logger)
            guard inserted.count == 1 else { return false }
            var ids: [Int64] = []
            for message in messages {
                ids.append(try await Self.enqueue(message.record, parts: message.parts, now: now, connection, logger).0.id)
            }
            if !ids.isEmpty {
                let reports = ids.map(String.init).joined(separator: ",")
                try await connection.rows("UPDATE notice SET reports = \(reports) WHERE key = \(notice.key)", logger)
            }
            return true
        }
    }

    public func notices(kind: NoticeRecord.Kind?) async throws -> [NoticeRecord] {
        try await rows(
            """
            SELECT key, person, kind, detail, created_at, reports FROM notice
            WHERE (\(kind?.rawValue)::text IS NULL OR kind = \(kind?.rawValue))
            ORDER BY created_at, key
            """
        ).map { row in
            let (key, person, kind, detail, created, reports) = try row.decode((String, String, String, String?, Double, String?).self)
            return NoticeRecord(
                key: key, person: person, kind: NoticeRecord.Kind(rawValue: kind) ?? .reminder, detail: detail ?? "",
                createdAt: Date(timeIntervalSince1970: created), reports: (reports ?? "").split(separator: ",").compactMap { Int64($0) })
        }
    }

    public func recordedNotices(_ keys: [String]) async throws -> Set<String> {
        Set(try await rows("SELECT key FROM notice WHERE key = ANY(\(keys))").map { try $0.decode(String.self) })
    }

    public func lastRoute(target: String, startingWith prefix: String) async throws -> String? {
        try await rows(
            """
            SELECT route FROM delivery
            WHERE target = \(target) AND state = 'sent' AND starts_with(route, \(prefix))
            ORDER BY id DESC LIMIT 1
            """
        ).first?.decode(String.self)
    }
}
