import Foundation
import NarrateModel
import GRDB

extension SQLiteStore {
    /// Records a report and all its parts in one transaction, before any request is sent.
    public func enqueue(_ report: ReportRecord, parts: [OutboxParts], now: Date) throws -> (ReportRecord, [Delivery]) {
        try write { db in try Self.enqueue(report, parts: parts, now: now, in: db) }
    }

    static func enqueue(_ report: ReportRecord, parts: [OutboxParts], now: Date, in db: Database) throws
        -> (ReportRecord, [Delivery])
    {
        try db.execute(
            sql: """
                INSERT INTO report (team, schedule, period_start, period_end, markdown, created_at, kind, person)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?)
                """,
            arguments: [
                report.team, report.schedule, report.periodStart.timeIntervalSince1970,
                report.periodEnd.timeIntervalSince1970, report.markdown, now.timeIntervalSince1970, report.kind, report.person,
            ])
        var stored = report
        stored.id = db.lastInsertedRowID
        var deliveries: [Delivery] = []
        let insert = try db.cachedStatement(
            sql: """
                INSERT INTO delivery (report, target, kind, part, parts, body, state, attempts, next_attempt_at, created_at, route)
                VALUES (?, ?, ?, ?, ?, ?, 'pending', 0, ?, ?, ?)
                """)
        for group in parts {
            let bodies = group.bodies
            for (index, body) in bodies.enumerated() {
                var delivery = Delivery(
                    report: stored.id, target: group.target, kind: group.kind.rawValue, part: index + 1,
                    parts: bodies.count, body: body, nextAttemptAt: now, createdAt: now)
                delivery.route = group.route
                try insert.execute(
                    arguments: [stored.id, group.target, group.kind.rawValue, index + 1, bodies.count, body,
                                now.timeIntervalSince1970, now.timeIntervalSince1970, group.route])
                delivery.id = db.lastInsertedRowID
                deliveries.append(delivery)
            }
        }
        return (stored, deliveries)
    }

    /// Parts not yet sent or parked, in report, target and part order.
    public func unfinishedDeliveries(reports: [Int64]?, target: String?) throws -> [Delivery] {
        try read { db in
            var (sql, arguments) = Self.unfinished("SELECT \(Self.deliveryColumns) FROM delivery", reports: reports)
            if let target {
                sql += " AND target = ?"
                arguments += [target]
            }
            return try Self.decoded(db, sql: sql + " ORDER BY report, target, part", arguments: arguments, Self.delivery)
        }
    }

    public func unfinishedTargets(reports: [Int64]?) throws -> [String] {
        try read { db in
            let (sql, arguments) = Self.unfinished("SELECT DISTINCT target FROM delivery", reports: reports)
            return try String.fetchAll(db, sql: sql + " ORDER BY target", arguments: arguments)
        }
    }

    /// `select` limited to parts not yet sent or parked, of some reports when given.
    static func unfinished(_ select: String, reports: [Int64]?) -> (String, StatementArguments) {
        var sql = select + " WHERE state IN ('pending','sending')"
        var arguments: StatementArguments = []
        if let reports {
            sql += " AND report IN (\(databaseQuestionMarks(count: reports.count)))"
            arguments += StatementArguments(reports)
        }
        return (sql, arguments)
    }

    public func deliveries(reports: [Int64]?, states: [Delivery.State]?) throws -> [Delivery] {
        try read { db in
            var clauses: [String] = []
            var arguments: StatementArguments = []
            if let reports {
                clauses.append("report IN (\(databaseQuestionMarks(count: reports.count)))")
                arguments += StatementArguments(reports)
            }
            if let states {
                clauses.append("state IN (\(databaseQuestionMarks(count: states.count)))")
                arguments += StatementArguments(states.map(\.rawValue))
            }
            let filter = clauses.isEmpty ? "" : " WHERE " + clauses.joined(separator: " AND ")
            return try Self.decoded(
                db, sql: "SELECT \(Self.deliveryColumns) FROM delivery\(filter) ORDER BY report, target, part", arguments: arguments,
                Self.delivery)
        }
    }

    public func report(_ id: Int64) throws -> ReportRecord? {
        try read { db in
            try Self.decoded(db, sql: "SELECT \(Self.reportColumns) FROM report WHERE id = ?", arguments: [id], Self.report).first
        }
    }

    public func reports(team: String?, kinds: [String], limit: Int) throws -> [ReportRecord] {
        try read { db in
            var sql = "SELECT \(Self.reportColumns) FROM report WHERE kind IN (\(databaseQuestionMarks(count: kinds.count)))"
            var arguments = StatementArguments(kinds)
            if let team {
                sql += " AND team = ?"
                arguments += [team]
            }
            return try Self.decoded(db, sql: sql + " ORDER BY id DESC LIMIT ?", arguments: arguments + [limit], Self.report)
        }
    }

    /// The columns ``report(_:)`` decodes, in its order: by position, as by name GRDB lowercased
    /// every column name of every row (see ``decoded(_:sql:arguments:_:)``).
    static let reportColumns = "id, team, schedule, period_start, period_end, markdown, created_at, kind, person"

    static func report(_ row: Row) -> ReportRecord {
        ReportRecord(
            id: row[0], team: row[1], schedule: row[2], periodStart: Date(timeIntervalSince1970: row[3]),
            periodEnd: Date(timeIntervalSince1970: row[4]), markdown: row[5], createdAt: Date(timeIntervalSince1970: row[6]),
            kind: row[7] ?? "report", person: row[8])
    }

    /// Marks a part as in flight; false when another worker got there first.
    public func beginSending(_ id: Int64, now: Date) throws -> Bool {
        try write { db in try Self.claim(id, now: now, in: db) }
    }

    static func claim(_ id: Int64, now: Date, in db: Database) throws -> Bool {
        // The writes of every part sent keep their compiled statements (cachedStatement):
        // compiling them again was a third of each part's write.
        try db.cachedStatement(
            sql: "UPDATE delivery SET state = 'sending', attempts = attempts + 1, claimed_at = ? WHERE id = ? AND state = 'pending'"
        ).execute(arguments: [now.timeIntervalSince1970, id])
        return db.changesCount == 1
    }

    public func finishSent(_ parts: [SentPart]) throws -> [Bool] {
        try write { db in
            try parts.map { part in
                if let id = part.id {
                    try db.cachedStatement(
                        sql: "UPDATE delivery SET state = 'sent', last_error = NULL, receipt = coalesce(?, receipt), sent_at = ? WHERE id = ?"
                    ).execute(arguments: [part.receipt, part.at.timeIntervalSince1970, id])
                }
                guard let next = part.next else { return false }
                return try Self.claim(next, now: part.at, in: db)
            }
        }
    }

    /// Records what became of an attempt.
    public func finishAttempt(
        _ id: Int64, state: Delivery.State, error: String? = nil, receipt: String? = nil, nextAttemptAt: Date? = nil,
        route: String? = nil, at: Date
    ) throws {
        try write { db in
            try db.cachedStatement(
                sql: """
                    UPDATE delivery SET state = ?,
                      last_error = CASE WHEN ?1 = 'sent' THEN NULL ELSE coalesce(?, last_error) END, receipt = coalesce(?, receipt),
                      next_attempt_at = coalesce(?, next_attempt_at), route = coalesce(?, route),
                      sent_at = CASE WHEN ? = 'sent' THEN ? ELSE sent_at END
                    WHERE id = ?
                    """
            ).execute(
                arguments: [
                    state.rawValue, error, receipt, nextAttemptAt?.timeIntervalSince1970, route, state.rawValue,
                    at.timeIntervalSince1970, id,
                ])
        }
    }

    /// Parts left `sending` by a process that died go back to the queue; sent parts stay sent.
    /// A part counts as abandoned once its attempt is older than `grace(target)` seconds (its
    /// request would have timed out by then), so a live sender's part is never taken over.
    @discardableResult
    public func requeueAbandoned(now: Date, grace: (String) -> TimeInterval) throws -> Int {
        try write { db in
            let rows = try Row.fetchAll(db, sql: "SELECT id, target, claimed_at FROM delivery WHERE state = 'sending'")
            var count = 0
            for row in rows {
                let claimed = (row["claimed_at"] as Double?) ?? 0
                guard claimed + grace(row["target"]) < now.timeIntervalSince1970 else { continue }
                try db.execute(sql: "UPDATE delivery SET state = 'pending' WHERE id = ? AND state = 'sending'", arguments: [row["id"] as Int64])
                count += db.changesCount
            }
            return count
        }
    }

    /// Puts parked parts back in the queue with a fresh attempt count.
    @discardableResult
    public func retryParked(ids: [Int64]?, now: Date) throws -> Int {
        try write { db in
            var sql = "UPDATE delivery SET state = 'pending', attempts_base = attempts, next_attempt_at = ?, created_at = ? WHERE state = 'parked'"
            var arguments: StatementArguments = [now.timeIntervalSince1970, now.timeIntervalSince1970]
            if let ids {
                sql += " AND id IN (\(databaseQuestionMarks(count: ids.count)))"
                arguments += StatementArguments(ids)
            }
            try db.execute(sql: sql, arguments: arguments)
            return db.changesCount
        }
    }

    /// The columns ``delivery(_:)`` decodes, in its order (see ``decoded(_:sql:arguments:_:)``).
    static let deliveryColumns = """
        id, report, target, kind, part, parts, body, state, attempts, attempts_base, next_attempt_at, last_error, sent_at, \
        receipt, route, created_at
        """

    static func delivery(_ row: Row) -> Delivery {
        Delivery(
            id: row[0], report: row[1], target: row[2], kind: row[3], part: row[4], parts: row[5], body: row[6],
            state: Delivery.State(rawValue: row[7]) ?? .pending, attempts: row[8], attemptsBase: row[9],
            nextAttemptAt: Date(timeIntervalSince1970: row[10]), lastError: row[11],
            sentAt: (row[12] as Double?).map(Date.init(timeIntervalSince1970:)), receipt: row[13], route: row[14],
            createdAt: Date(timeIntervalSince1970: row[15]))
    }
}
