import Foundation

/// Fire times of a cron expression in an IANA zone, with narrate's DST rules:
///
/// - a fixed time in a spring-forward gap fires once, at the first instant after the gap
///   (several fixed times in one gap collapse into that fire);
/// - a fixed time that occurs twice on fall-back fires at its first occurrence only;
/// - a wildcard-like hour (`*` or stepped) fires every real hour: not in a gap, and at both
///   occurrences of a repeated hour.
public struct CronSchedule: Sendable {
    public let cron: CronExpression
    public let zone: TimeZone

    /// How far past the last fire found a search goes before it gives up (an expression that
    /// never fires, such as 30 February). Consecutive fires of a valid expression are at most
    /// 8 years apart (29 February across a century), so the count decides how far the search
    /// reaches, not this.
    static let horizonDays = 366 * 30

    /// The most fire times one search returns.
    public static let maximumCount = 1_000

    public init(cron: CronExpression, zone: TimeZone) {
        self.cron = cron
        self.zone = zone
    }

    /// The next `count` distinct fire instants strictly after `after`, ascending.
    public func next(after: Date, count: Int = 1) -> [Date] {
        var result: [Date] = []
        var day = LocalDate(after, in: zone).adding(days: -1)
        var scanned = 0
        while result.count < count && scanned < Self.horizonDays {
            var fires: Set<Date> = []
            if matches(day) {
                for hour in cron.hours.sorted() {
                    for minute in cron.minutes.sorted() {
                        fires.formUnion(instants(day, hour, minute))
                    }
                }
            }
            for fire in fires.sorted() where fire > after && result.count < count && result.last.map({ fire > $0 }) ?? true {
                result.append(fire)
                scanned = 0
            }
            day = day.adding(days: 1)
            scanned += 1
        }
        return result
    }

    /// Fire instants in `(after, upTo]`, ascending (at most `limit`).
    public func fires(after: Date, upTo end: Date, limit: Int = 10_000) -> [Date] {
        var result: [Date] = []
        var cursor = after
        while result.count < limit {
            // Batches keep the day scan short for frequent schedules.
            let batch = next(after: cursor, count: 64)
            for fire in batch where fire <= end { result.append(fire) }
            guard let last = batch.last, last <= end, batch.count == 64 else { break }
            cursor = last
        }
        return Array(result.prefix(limit))
    }

    /// The last fire at or before `date`, searching back at most `within` seconds.
    public func previous(atOrBefore date: Date, within: TimeInterval = 400 * 86_400) -> Date? {
        var start = date.addingTimeInterval(-86_400)
        while date.timeIntervalSince(start) <= within {
            if let last = fires(after: start, upTo: date).last { return last }
            start = start.addingTimeInterval(-min(32 * 86_400, date.timeIntervalSince(start) * 2))
        }
        return nil
    }

    /// Day-of-month and day-of-week: when both are restricted, either may match (classic cron).
    func matches(_ day: LocalDate) -> Bool {
        guard cron.months.contains(day.month) else { return false }
        let domMatch = cron.daysOfMonth.contains(day.day)
        let dowMatch = cron.daysOfWeek.contains(Self.weekday(day))
        switch (cron.dayOfMonthRestricted, cron.dayOfWeekRestricted) {
        case (true, true): return domMatch || dowMatch
        case (true, false): return domMatch
        case (false, true): return dowMatch
        case (false, false): return true
        }
    }

    /// The instants at which the wall time `day hour:minute` fires in `zone`.
    func instants(_ day: LocalDate, _ hour: Int, _ minute: Int) -> [Date] {
        let wall = Self.wallSeconds(day, hour, minute)
        let before = zone.secondsFromGMT(for: Date(timeIntervalSince1970: TimeInterval(wall - 86_400)))
        let after = zone.secondsFromGMT(for: Date(timeIntervalSince1970: TimeInterval(wall + 86_400)))
        var valid: [Date] = []
        for offset in Set([before, after]) {
            let instant = Date(timeIntervalSince1970: TimeInterval(wall - offset))
            if zone.secondsFromGMT(for: instant) == offset { valid.append(instant) }
        }
        valid.sort()
        if valid.isEmpty {
            // In a gap: a wildcard-like hour does not exist here; a fixed time fires when the gap ends.
            return cron.hourIsWildcardLike ? [] : [transition(between: wall - after, and: wall - before)]
        }
        return cron.hourIsWildcardLike ? valid : [valid[0]]
    }

    /// The first instant with the new offset, found by bisection between two instants that
    /// straddle the change.
    func transition(between low: Int, and high: Int) -> Date {
        let oldOffset = zone.secondsFromGMT(for: Date(timeIntervalSince1970: TimeInterval(low)))
        var low = low, high = high
        while high - low > 1 {
            let middle = (low + high) / 2
            if zone.secondsFromGMT(for: Date(timeIntervalSince1970: TimeInterval(middle))) == oldOffset {
                low = middle
            } else {
                high = middle
            }
        }
        return Date(timeIntervalSince1970: TimeInterval(high))
    }

    /// Seconds since 1970 of a wall time read as if it were UTC (days-from-civil).
    static func wallSeconds(_ day: LocalDate, _ hour: Int, _ minute: Int) -> Int {
        daysFromCivil(day) * 86_400 + hour * 3_600 + minute * 60
    }

    static func daysFromCivil(_ day: LocalDate) -> Int {
        let y = day.month <= 2 ? day.year - 1 : day.year
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let mp = (day.month + 9) % 12
        let doy = (153 * mp + 2) / 5 + day.day - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146_097 + doe - 719_468
    }

    /// 0 = Sunday.
    static func weekday(_ day: LocalDate) -> Int {
        let days = daysFromCivil(day)
        return ((days % 7) + 11) % 7  // 1970-01-01 was a Thursday (4)
    }
}

extension CronSchedule {
    /// `narrate schedule --cron … --tz … --from … --count …`: the next `count` fire times after
    /// `start`, as ISO 8601 with the zone's offset at each instant.
    public static func fireTimes(cron: String, zone: String, from start: Date, count: Int) throws -> [String] {
        let expression = try CronExpression(cron)
        let timeZone = try TimeZoneCheck.zone(zone)
        guard (1...maximumCount).contains(count) else {
            throw NarrateError(.invalidInput, "--count must be from 1 to \(maximumCount), got \(count)")
        }
        return CronSchedule(cron: expression, zone: timeZone).next(after: start, count: count).map { TimeText.iso($0, in: timeZone) }
    }
}
