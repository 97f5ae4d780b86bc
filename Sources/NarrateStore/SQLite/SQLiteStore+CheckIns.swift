import Foundation
import NarrateModel
import GRDB

extension SQLiteStore {
    @discardableResult
    public func add(_ checkIn: MoodCheckIn) throws -> MoodCheckIn {
        try write { db in
            try db.execute(
                sql: "INSERT INTO mood (person, mood, load, at) VALUES (?, ?, ?, ?)",
                arguments: [checkIn.person, checkIn.mood, checkIn.load, checkIn.at.timeIntervalSince1970])
            var stored = checkIn
            stored.id = db.lastInsertedRowID
            return stored
        }
    }

    public func moods(from start: Date, to end: Date, persons: [String]?) throws -> [MoodCheckIn] {
        try read { db in
            var sql = "SELECT id, person, mood, load, at FROM mood WHERE at >= ? AND at < ?"
            var arguments: StatementArguments = [start.timeIntervalSince1970, end.timeIntervalSince1970]
            if let persons {
                sql += " AND person IN (\(databaseQuestionMarks(count: persons.count)))"
                arguments += StatementArguments(persons)
            }
            return try Self.decoded(db, sql: sql + " ORDER BY at, id", arguments: arguments) {
                MoodCheckIn(id: $0[0], person: $0[1], mood: $0[2], load: $0[3], at: Date(timeIntervalSince1970: $0[4]))
            }
        }
    }

    @discardableResult
    public func add(_ absence: Absence) throws -> Absence {
        try write { db in
            try db.execute(
                sql: "INSERT INTO away (person, from_day, to_day) VALUES (?, ?, ?)",
                arguments: [absence.person, absence.from.description, absence.to.description])
            var stored = absence
            stored.id = db.lastInsertedRowID
            return stored
        }
    }

    /// Absences that overlap the days `[first, last]`.
    public func absences(overlapping first: LocalDate, _ last: LocalDate) throws -> [Absence] {
        try read { db in
            try Array(Row.fetchCursor(
                db, sql: "SELECT id, person, from_day, to_day FROM away WHERE from_day <= ? AND to_day >= ? ORDER BY from_day, id",
                arguments: [last.description, first.description]
            ).compactMap { row in
                guard let from = try? LocalDate(parsing: row[2]), let to = try? LocalDate(parsing: row[3])
                else { return nil }
                return Absence(id: row[0], person: row[1], from: from, to: to)
            })
        }
    }

    public func removeAbsence(_ id: Int64) throws {
        try write { db in try db.execute(sql: "DELETE FROM away WHERE id = ?", arguments: [id]) }
    }
}
