import Foundation
import NarrateModel
import NarrateStore
import PostgresNIO

extension PostgresStore {
    static let entryColumns = "id, person, kind, text, stage, kpi, at, state, closed_at, note, origin, url"

    static func entry(_ row: PostgresRow) throws -> Entry {
        let (id, person, kind, text, stage, kpi, at, state, closedAt, note, origin, url) = try row.decode(
            (Int64, String, String, String, String?, String?, Double, String?, Double?, String?, String?, String?).self)
        var entry = Entry(
            id: id, person: person, kind: Entry.Kind(rawValue: kind) ?? .progress, text: text,
            stage: stage.flatMap(Entry.Stage.init(rawValue:)), kpi: kpi, at: Date(timeIntervalSince1970: at),
            state: state.flatMap(Entry.State.init(rawValue:)), closedAt: closedAt.map(Date.init(timeIntervalSince1970:)), note: note)
        entry.origin = origin
        entry.url = url
        return entry
    }

    @discardableResult
    public func add(_ entry: Entry, now: Date) async throws -> Entry {
        let rows = try await rows(
            """
            INSERT INTO entry (person, kind, text, stage, kpi, at, state, closed_at, note, created_at)
            VALUES (\(entry.person), \(entry.kind.rawValue), \(entry.text), \(entry.stage?.rawValue), \(entry.kpi),
                    \(entry.at.timeIntervalSince1970), \(entry.state?.rawValue), \(entry.closedAt?.timeIntervalSince1970),
                    \(entry.note), \(now.timeIntervalSince1970))
            RETURNING id
            """)
        var stored = entry
        stored.id = try rows[0].decode(Int64.self)
        return stored
    }

    public func entry(_ id: Int64) async throws -> Entry? {
        try await rows("SELECT \(unescaped: Self.entryColumns) FROM entry WHERE id = \(id) AND deleted_at IS NULL")
            .first.map(Self.entry)
    }

    static func existing(_ id: Int64, _ connection: PostgresConnection, _ logger: Logger, locking: Bool = true) async throws -> Entry {
        let lock = locking ? " FOR UPDATE" : ""
        guard let row = try await connection.rows(
            "SELECT \(unescaped: entryColumns) FROM entry WHERE id = \(id) AND deleted_at IS NULL\(unescaped: lock)", logger
        ).first else {
            throw NarrateError(.notFound, "no entry \(id)")
        }
        return try entry(row)
    }

    /// A compare-and-set on the entry's row (locked until the transaction ends): of two closers,
    /// the second sees the first's close and is refused.
    @discardableResult
    public func close(_ id: Int64, as state: Entry.State, note: String?, at: Date) async throws -> Entry {
        try await transaction { connection in
            var entry = try await Self.existing(id, connection, logger)
            guard entry.state == .open else { throw EntryClosed(entry: entry) }
            entry.state = state
            entry.closedAt = at
            entry.note = note
            try await connection.rows(
                "UPDATE entry SET state = \(state.rawValue), closed_at = \(at.timeIntervalSince1970), note = \(note) WHERE id = \(id)",
                logger)
            return entry
        }
    }

    public func entries(from start: Date, to end: Date, persons: [String]?) async throws -> [Entry] {
        let query: PostgresQuery
        if let persons {
            query = """
                SELECT \(unescaped: Self.entryColumns) FROM entry
                WHERE at >= \(start.timeIntervalSince1970) AND at < \(end.timeIntervalSince1970) AND deleted_at IS NULL
                  AND person = ANY(\(persons))
                ORDER BY at, id
                """
        } else {
            query = """
                SELECT \(unescaped: Self.entryColumns) FROM entry
                WHERE at >= \(start.timeIntervalSince1970) AND at < \(end.timeIntervalSince1970) AND deleted_at IS NULL
                ORDER BY at, id
                """
        }
        return try await rows(query).map(Self.entry)
    }

    public func followedEntries(openDuring start: Date, _ end: Date, persons: [String]) async throws -> [Entry] {
        try await rows(
            """
            SELECT \(unescaped: Self.entryColumns) FROM entry
            WHERE person = ANY(\(persons)) AND kind IN ('blocker','next') AND at < \(end.timeIntervalSince1970)
              AND deleted_at IS NULL AND (closed_at IS NULL OR closed_at >= \(start.timeIntervalSince1970))
            ORDER BY at, id
            """
        ).map(Self.entry)
    }

    public func entryCount() async throws -> Int {
        try await rows("SELECT count(*) FROM entry WHERE deleted_at IS NULL")[0].decode(Int.self)
    }

    public func edit(_ id: Int64, text: String, by person: String, at: Date) async throws -> Entry {
        try await transaction { connection in
            var entry = try await Self.keepChange(of: id, .edit, by: person, at: at, connection, logger)
            try await connection.rows("UPDATE entry SET text = \(text) WHERE id = \(id)", logger)
            entry.text = text
            return entry
        }
    }

    public func delete(_ id: Int64, by person: String, at: Date) async throws -> Entry {
        try await transaction { connection in
            let entry = try await Self.keepChange(of: id, .delete, by: person, at: at, connection, logger)
            try await connection.rows("UPDATE entry SET deleted_at = \(at.timeIntervalSince1970) WHERE id = \(id)", logger)
            return entry
        }
    }

    /// The entry as it is (locked), its text kept in `entry_change` for `undo`.
    static func keepChange(
        of id: Int64, _ action: EntryChange.Action, by person: String, at: Date, _ connection: PostgresConnection, _ logger: Logger
    ) async throws -> Entry {
        let entry = try await existing(id, connection, logger)
        try await connection.rows(
            """
            INSERT INTO entry_change (entry, person, action, old_text, at)
            VALUES (\(id), \(person), \(action.rawValue), \(entry.text), \(at.timeIntervalSince1970))
            """, logger)
        return entry
    }

    public func undo(by person: String) async throws -> (Entry, EntryChange) {
        try await transaction { connection in
            guard let row = try await connection.rows(
                """
                SELECT id, entry, action, old_text, at FROM entry_change WHERE person = \(person) AND NOT undone
                ORDER BY id DESC LIMIT 1 FOR UPDATE
                """, logger
            ).first else {
                throw NarrateError(.notFound, "nothing to undo: \(person) has no edit or delete left to take back")
            }
            let (changeID, entryID, action, oldText, at) = try row.decode((Int64, Int64, String, String, Double).self)
            let change = EntryChange(
                entry: entryID, action: EntryChange.Action(rawValue: action) ?? .edit, oldText: oldText,
                at: Date(timeIntervalSince1970: at))
            switch change.action {
            case .edit:
                try await connection.rows("UPDATE entry SET text = \(change.oldText) WHERE id = \(entryID)", logger)
            case .delete:
                try await connection.rows("UPDATE entry SET deleted_at = NULL WHERE id = \(entryID)", logger)
            }
            try await connection.rows("UPDATE entry_change SET undone = true WHERE id = \(changeID)", logger)
            return (try await Self.existing(entryID, connection, logger), change)
        }
    }

    // MARK: moods and absences

    @discardableResult
    public func add(_ checkIn: MoodCheckIn) async throws -> MoodCheckIn {
        let rows = try await rows(
            """
            INSERT INTO mood (person, mood, load, at)
            VALUES (\(checkIn.person), \(checkIn.mood), \(checkIn.load), \(checkIn.at.timeIntervalSince1970)) RETURNING id
            """)
        var stored = checkIn
        stored.id = try rows[0].decode(Int64.self)
        return stored
    }

    public func moods(from start: Date, to end: Date, persons: [String]?) async throws -> [MoodCheckIn] {
        let query: PostgresQuery
        if let persons {
            query = """
                SELECT id, person, mood, load, at FROM mood
                WHERE at >= \(start.timeIntervalSince1970) AND at < \(end.timeIntervalSince1970) AND person = ANY(\(persons))
                ORDER BY at, id
                """
        } else {
            query = """
                SELECT id, person, mood, load, at FROM mood
                WHERE at >= \(start.timeIntervalSince1970) AND at < \(end.timeIntervalSince1970) ORDER BY at, id
                """
        }
        return try await rows(query).map { row in
            let (id, person, mood, load, at) = try row.decode((Int64, String, Int, Int?, Double).self)
            return MoodCheckIn(id: id, person: person, mood: mood, load: load, at: Date(timeIntervalSince1970: at))
        }
    }

    @discardableResult
    public func add(_ absence: Absence) async throws -> Absence {
        let rows = try await rows(
            """
            INSERT INTO away (person, from_day, to_day)
            VALUES (\(absence.person), \(absence.from.description), \(absence.to.description)) RETURNING id
            """)
        var stored = absence
        stored.id = try rows[0].decode(Int64.self)
        return stored
    }

    public func absences(overlapping first: LocalDate, _ last: LocalDate) async throws -> [Absence] {
        try await rows(
            """
            SELECT id, person, from_day, to_day FROM away
            WHERE from_day <= \(last.description) AND to_day >= \(first.description) ORDER BY from_day, id
            """
        ).compactMap { row in
            let (id, person, from, to) = try row.decode((Int64, String, String, String).self)
            guard let from = try? LocalDate(parsing: from), let to = try? LocalDate(parsing: to) else { return nil }
            return Absence(id: id, person: person, from: from, to: to)
        }
    }

    public func removeAbsence(_ id: Int64) async throws {
        try await rows("DELETE FROM away WHERE id = \(id)")
    }

    // MARK: metrics

    @discardableResult
    public func record(_ readings: [MetricReading]) async throws -> Int {
        try await transaction { connection in
            var replaced = 0
            for reading in readings {
                replaced += try await connection.rows(
                    "DELETE FROM metric WHERE kpi = \(reading.kpi) AND at = \(reading.at.timeIntervalSince1970) RETURNING id", logger
                ).count
                try await Self.insert(reading, connection, logger)
            }
            return replaced
        }
    }

    public func recordWithoutReplacing(_ readings: [MetricReading]) async throws {
        try await transaction { connection in
            var conflicts: [MetricReading] = []
            var fresh: [MetricReading] = []
            for reading in readings {
                if let kept = try await Self.reading(kpi: reading.kpi, at: reading.at, connection, logger) {
                    if kept.value != reading.value { conflicts.append(kept) }
                } else {
                    fresh.append(reading)
                }
            }
            // Thrown inside the transaction: it is rolled back, so nothing of the batch is kept.
            guard conflicts.isEmpty else { throw ReadingConflict(kept: conflicts) }
            for reading in fresh { try await Self.insert(reading, connection, logger) }
        }
    }

    public func reading(kpi: String, at: Date) async throws -> MetricReading? {
        try await Self.wrap { try await connections.withConnection { connection in try await Self.reading(kpi: kpi, at: at, connection, logger) } }
    }

    static func reading(kpi: String, at: Date, _ connection: PostgresConnection, _ logger: Logger) async throws -> MetricReading? {
        try await connection.rows(
            "SELECT id, kpi, value, at, author, origin FROM metric WHERE kpi = \(kpi) AND at = \(at.timeIntervalSince1970)", logger
        ).first.map(reading(_:))
    }

    static func insert(_ reading: MetricReading, _ connection: PostgresConnection, _ logger: Logger) async throws {
        try await connection.rows(
            """
            INSERT INTO metric (kpi, value, at, author, origin)
            VALUES (\(reading.kpi), \(reading.value), \(reading.at.timeIntervalSince1970), \(reading.author), \(reading.origin?.rawValue))
            """, logger)
    }

    public func readings(kpis: [String], from start: Date, to end: Date) async throws -> [MetricReading] {
        try await rows(
            """
            SELECT id, kpi, value, at FROM metric
            WHERE kpi = ANY(\(kpis)) AND at >= \(start.timeIntervalSince1970) AND at < \(end.timeIntervalSince1970)
            ORDER BY at, id
            """
        ).map { row in
            let (id, kpi, value, at) = try row.decode((Int64, String, Double, Double).self)
            return MetricReading(id: id, kpi: kpi, value: value, at: Date(timeIntervalSince1970: at))
        }
    }

    public func recordedReadings(kpis: [String], from start: Date, to end: Date) async throws -> [MetricReading] {
        try await rows(
            """
            SELECT id, kpi, value, at, author, origin FROM metric
            WHERE kpi = ANY(\(kpis)) AND at >= \(start.timeIntervalSince1970) AND at < \(end.timeIntervalSince1970)
            ORDER BY at, id
            """
        ).map(Self.reading(_:))
    }

    public func deleteReading(kpi: String, at: Date) async throws -> MetricReading? {
        try await rows(
            "DELETE FROM metric WHERE kpi = \(kpi) AND at = \(at.timeIntervalSince1970) RETURNING id, kpi, value, at, author, origin"
        ).first.map(Self.reading(_:))
    }

    /// A row of `id, kpi, value, at, author, origin`.
    static func reading(_ row: PostgresRow) throws -> MetricReading {
        let (id, kpi, value, at, author, origin) = try row.decode((Int64, String, Double, Double, String?, String?).self)
        return MetricReading(
            id: id, kpi: kpi, value: value, at: Date(timeIntervalSince1970: at), author: author,
            origin: origin.flatMap(MetricReading.Origin.init(rawValue:)))
    }

    public func metricCount() async throws -> Int {
        try await rows("SELECT count(*) FROM metric")[0].decode(Int.self)
    }
}
