import Foundation

/// The span of time a report covers: `[start, end)`.
public struct Period: Sendable, Equatable {
    public enum Kind: String, Sendable, CaseIterable {
        case sinceLast = "since-last"
        case day, week, month, quarter
    }

    public var kind: Kind
    public var start: Date
    public var end: Date
    public var timeZone: TimeZone

    public init(kind: Kind, start: Date, end: Date, timeZone: TimeZone) {
        self.kind = kind
        self.start = start
        self.end = end
        self.timeZone = timeZone
    }

    public func contains(_ date: Date) -> Bool { start <= date && date < end }

    /// The calendar period of `kind` that contains `date`, in `zone` (weeks are ISO: Monday first).
    public static func containing(_ date: Date, kind: Kind, in zone: TimeZone) -> Period {
        let day = LocalDate(date, in: zone)
        let first: LocalDate
        let next: LocalDate
        switch kind {
        case .day, .sinceLast:
            first = day
            next = day.adding(days: 1)
        case .week:
            first = day.adding(days: -day.weekdayFromMonday)
            next = first.adding(days: 7)
        case .month:
            first = LocalDate(year: day.year, month: day.month, day: 1)
            next = day.month == 12 ? LocalDate(year: day.year + 1, month: 1, day: 1)
                : LocalDate(year: day.year, month: day.month + 1, day: 1)
        case .quarter:
            let month = (day.month - 1) / 3 * 3 + 1
            first = LocalDate(year: day.year, month: month, day: 1)
            next = month == 10 ? LocalDate(year: day.year + 1, month: 1, day: 1)
                : LocalDate(year: day.year, month: month + 3, day: 1)
        }
        return Period(kind: kind, start: first.start(in: zone), end: next.start(in: zone), timeZone: zone)
    }

    /// The period of the same kind just before this one.
    public var previous: Period {
        if kind == .sinceLast {
            let length = end.timeIntervalSince(start)
            return Period(kind: kind, start: start.addingTimeInterval(-length), end: start, timeZone: timeZone)
        }
        return Period.containing(start.addingTimeInterval(-1), kind: kind, in: timeZone)
    }

    /// The local days the period touches, first to last.
    public var days: [LocalDate] {
        guard let (first, last) = firstAndLastDay else { return [] }
        return (first.dayNumber...last.dayNumber).map(LocalDate.init(dayNumber:))
    }

    /// The first and the last local day the period touches; nil when it is empty.
    public var firstAndLastDay: (first: LocalDate, last: LocalDate)? {
        let first = LocalDate(start, in: timeZone)
        let last = LocalDate(end.addingTimeInterval(-1), in: timeZone)
        return first <= last ? (first, last) : nil
    }
}
