import Foundation

/// Instants as users type them and as narrate prints them.
public enum TimeText {
    /// Parses `2026-11-20T09:30:00+08:00`, `2026-11-20T01:30Z`, `2026-11-20 09:30` (in `zone`),
    /// `2026-11-20` (noon in `zone`, so the day is unambiguous), `now`, and relative forms in
    /// `zone`: `today` (now), `yesterday` (noon), `-2d`, `-3h`, `-30m`, and a weekday with an optional
    /// time, `mon` or `fri 17:00` (the latest such moment that is not after `now`).
    /// `YYYY-MM-DDTHH:MM[:SS](Z|±HH:MM)` (or a space for the `T`), which names its own instant;
    /// nil for any other text (the general parser takes it, with its error messages). A time of
    /// this shape that names no real day or time is refused (Foundation's formatter read
    /// 2026-02-30 as 2 March).
    static func offsetTime(_ text: String) throws -> Date? {
        let bytes = Array(text.utf8)
        func number(_ start: Int, _ count: Int) -> Int? {
            guard start + count <= bytes.count else { return nil }
            var value = 0
            for byte in bytes[start..<start + count] {
                guard byte >= 0x30, byte <= 0x39 else { return nil }
                value = value * 10 + Int(byte - 0x30)
            }
            return value
        }
        guard bytes.count >= 17, bytes[4] == UInt8(ascii: "-"), bytes[7] == UInt8(ascii: "-"),
            bytes[10] == UInt8(ascii: "T") || bytes[10] == UInt8(ascii: " "), bytes[13] == UInt8(ascii: ":"),
            let year = number(0, 4), let month = number(5, 2), let day = number(8, 2), let hour = number(11, 2),
            let minute = number(14, 2)
        else { return nil }
        guard (1...12).contains(month), day >= 1, day <= LocalDate.days(inMonth: month, year: year), hour < 24, minute < 60 else {
            throw NarrateError(.invalidInput, "\"\(text)\" is no real day and time")
        }
        var position = 16
        var second = 0
        if position < bytes.count, bytes[position] == UInt8(ascii: ":") {
            guard let value = number(position + 1, 2), value < 60 else { return nil }
            second = value
            position += 3
        }
        let offset: Int
        if position == bytes.count - 1, bytes[position] == UInt8(ascii: "Z") {
            offset = 0
        } else if position == bytes.count - 6, bytes[position] == UInt8(ascii: "+") || bytes[position] == UInt8(ascii: "-"),
            bytes[position + 3] == UInt8(ascii: ":"), let hours = number(position + 1, 2), let minutes = number(position + 4, 2),
            hours < 24, minutes < 60
        {
            offset = (hours * 3_600 + minutes * 60) * (bytes[position] == UInt8(ascii: "-") ? -1 : 1)
        } else {
            return nil
        }
        let local = LocalDate(year: year, month: month, day: day).dayNumber * 86_400 + hour * 3_600 + minute * 60 + second
        return Date(timeIntervalSince1970: TimeInterval(local - offset))
    }

    public static func parse(_ text: String, zone: TimeZone, now: Date) throws -> Date {
        let date = try parseAnyYear(text, zone: zone, now: now)
        let year = LocalDate(date, in: zone).year
        guard LocalDate.years.contains(year) else {
            throw NarrateError(
                .invalidInput,
                "\"\(text)\" is outside the years narrate works with (\(LocalDate.years.lowerBound)–\(LocalDate.years.upperBound))")
        }
        return date
    }

    private static func parseAnyYear(_ text: String, zone: TimeZone, now: Date) throws -> Date {
        // An exported year of readings is this shape on every line: read by integer arithmetic,
        // without a formatter or a regular expression per line.
        if let instant = try offsetTime(text) { return instant }
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        if trimmed.lowercased() == "now" { return now }
        if let relative = relative(trimmed.lowercased(), zone: zone, now: now) { return relative }
        if trimmed.wholeMatch(of: /\d{4}-\d{2}-\d{2}/) != nil {
            // A day: its own errors (no such day, a year out of range) say more than "not a time".
            return local(try LocalDate(parsing: trimmed), hour: 12, minute: 0, second: 0, zone: zone)
        }
        let normalized = trimmed.replacingOccurrences(of: " ", with: "T")
        let formatter = ISO8601DateFormatter()
        for options: ISO8601DateFormatter.Options in [
            [.withInternetDateTime], [.withInternetDateTime, .withFractionalSeconds],
        ] {
            formatter.formatOptions = options
            if let date = formatter.date(from: normalized) { return date }
        }
        // With an offset but without seconds: 2026-11-20T09:30+08:00
        if let match = normalized.wholeMatch(of: /(\d{4}-\d{2}-\d{2})T(\d{2}):(\d{2})(Z|[+-]\d{2}:\d{2})/) {
            let zoned = "\(match.1)T\(match.2):\(match.3):00\(match.4)"
            formatter.formatOptions = [.withInternetDateTime]
            if let date = formatter.date(from: zoned) { return date }
        }
        if let match = normalized.wholeMatch(of: /(\d{4}-\d{2}-\d{2})T(\d{2}):(\d{2})(?::(\d{2}))?/),
            let day = try? LocalDate(parsing: String(match.1)), let hour = Int(match.2), let minute = Int(match.3),
            hour < 24, minute < 60
        {
            let second = match.4.flatMap { Int($0) } ?? 0
            if second < 60 { return local(day, hour: hour, minute: minute, second: second, zone: zone) }
        }
        throw NarrateError(.invalidInput,
            "\"\(text)\" is not a time; write e.g. 2026-11-20T09:30+08:00, \"2026-11-20 09:30\" (in \(zone.identifier)) or 2026-11-20")
    }

    static let weekdays = ["sun", "mon", "tue", "wed", "thu", "fri", "sat"]
    static let fullWeekdays = ["sunday", "monday", "tuesday", "wednesday", "thursday", "friday", "saturday"]

    /// `today`, `yesterday`, `-2d` / `-3h` / `-30m`, `mon`, `fri 17:00`; nil for anything else.
    static func relative(_ text: String, zone: TimeZone, now: Date) -> Date? {
        let today = LocalDate(now, in: zone)
        switch text {
        // Today is now: an entry logged `--at today` in the morning is not "in the future".
        case "today": return now
        case "yesterday": return local(today.adding(days: -1), hour: 12, minute: 0, second: 0, zone: zone)
        default: break
        }
        if let match = text.wholeMatch(of: /-(\d{1,4})([dhm])/), let count = Double(match.1) {
            let unit: Double = match.2 == "d" ? 86_400 : match.2 == "h" ? 3_600 : 60
            return now.addingTimeInterval(-count * unit)
        }
        if let match = text.wholeMatch(of: /([a-z]+)(?:\s+(\d{1,2}):(\d{2}))?/),
            let weekday = weekdays.firstIndex(of: String(match.1)) ?? fullWeekdays.firstIndex(of: String(match.1))
        {
            let hour = match.2.flatMap { Int($0) } ?? 12
            let minute = match.3.flatMap { Int($0) } ?? 0
            guard hour < 24, minute < 60 else { return nil }
            var calendar = Calendar(identifier: .gregorian)
            calendar.timeZone = zone
            let todayWeekday = calendar.component(.weekday, from: now) - 1
            var day = today.adding(days: -((todayWeekday - weekday + 7) % 7))
            var candidate = local(day, hour: hour, minute: minute, second: 0, zone: zone)
            if candidate > now {
                day = day.adding(days: -7)
                candidate = local(day, hour: hour, minute: minute, second: 0, zone: zone)
            }
            return candidate
        }
        return nil
    }

    public static func local(_ day: LocalDate, hour: Int, minute: Int, second: Int, zone: TimeZone) -> Date {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = zone
        let components = DateComponents(
            year: day.year, month: day.month, day: day.day, hour: hour, minute: minute, second: second)
        return calendar.date(from: components)!
    }

    /// `2026-11-20T09:30:00+08:00`: the instant with the zone's offset at that instant.
    public static func iso(_ date: Date, in zone: TimeZone) -> String {
        let formatter = ISO8601DateFormatter()
        formatter.timeZone = zone
        formatter.formatOptions = [.withInternetDateTime]
        let text = formatter.string(from: date)
        // Foundation writes Z for a zero offset in UTC-like zones; keep the ±HH:MM form throughout.
        return text.hasSuffix("Z") ? String(text.dropLast()) + "+00:00" : text
    }

    /// `2026-11-20 09:30` in a zone, for tables people read.
    public static func short(_ date: Date, in zone: TimeZone) -> String {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = zone
        let c = calendar.dateComponents([.year, .month, .day, .hour, .minute], from: date)
        return String(format: "%04d-%02d-%02d %02d:%02d", c.year!, c.month!, c.day!, c.hour!, c.minute!)
    }
}
