import Foundation
import NarrateCore
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
            var sql = "SELECT * FROM mood WHERE at >= ? AND at < ?"
            var arguments: StatementArguments = [start.timeIntervalSince1970, end.timeIntervalSince1970]
            if let persons {
                sql += " AND person IN (\(databaseQuestionMarks(count: persons.count)))"
                arguments += StatementArguments(persons)
            }
            return try Row.fetchAll(db, sql: sql + " ORDER BY at, id", arguments: arguments).map {
                MoodCheckIn(id: $0["id"], person: $0["person"], mood: $0["mood"], load: $0["load"], at: Date(timeIntervalSince1970: $0["at"]))
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
            try Row.fetchAll(
                db, sql: "SELECT * FROM away WHERE from_day <= ? AND to_day >= ? ORDER BY from_day, id",
                arguments: [last.description, first.description]
            ).compactMap { row in
                guard let from = try? LocalDate(parsing: row["from_day"]), let to = try? LocalDate(parsing: row["to_day"])
                else { return nil }
                return Absence(id: row["id"], person: row["person"], from: from, to: to)
            }
        }
    }

    public func removeAbsence(_ id: Int64) throws {
        try write { db in try db.execute(sql: "DELETE FROM away WHERE id = ?", arguments: [id]) }
    }
}
