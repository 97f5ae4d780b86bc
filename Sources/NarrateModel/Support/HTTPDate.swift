import Foundation
import Synchronization

/// The HTTP date (RFC 9110): `Sun, 06 Nov 1994 08:49:37 GMT`. Read from a platform's
/// `Retry-After`, written in the check-in service's `Date` header.
public enum HTTPDate {
    /// One formatter for the process: making one costs more than using it. DateFormatter is not
    /// safe to share between threads, hence the lock.
    private static let formatter = Mutex<DateFormatter>({
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "GMT")
        formatter.dateFormat = "EEE, dd MMM yyyy HH:mm:ss zzz"
        return formatter
    }())

    public static func string(from date: Date) -> String {
        formatter.withLock { $0.string(from: date) }
    }

    public static func date(from text: String) -> Date? {
        formatter.withLock { $0.date(from: text) }
    }
}
