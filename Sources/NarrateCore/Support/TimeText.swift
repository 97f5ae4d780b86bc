import Foundation

/// Instants as users type them and as narrate prints them.
public enum TimeText {
    /// Parses `2026-11-20T09:30:00+08:00`, `2026-11-20T01:30Z`, `2026-11-20 09:30` (in `zone`),
    /// `2026-11-20` (noon in `zone`, so the day is unambiguous) or `now`.
    public static func parse(_ text: String, zone: TimeZone, now: Date) throws -> Date {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        if trimmed.lowercased() == "now" { return now }
        if let date = try? LocalDate(parsing: trimmed) {
            return local(date, hour: 12, minute: 0, second: 0, zone: zone)
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
