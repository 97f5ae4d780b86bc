import Foundation
import GRDB

extension SQLiteStore {
    public func firstSight(_ key: String, at: Date, forgettingBefore: Date) throws -> Bool {
        try write { db in
            try db.execute(sql: "DELETE FROM replay WHERE at < ?", arguments: [forgettingBefore.timeIntervalSince1970])
            try db.execute(sql: "INSERT OR IGNORE INTO replay (key, at) VALUES (?, ?)", arguments: [key, at.timeIntervalSince1970])
            return db.changesCount == 1
        }
    }
}
