/// A classic 5-field cron expression: minute hour day-of-month month day-of-week.
///
/// Supports names (`MON`, `JAN`), lists, ranges, steps and the macros `@hourly @daily
/// @weekly @monthly @yearly` (with `@midnight` and `@annually`). When both day fields are
/// restricted a day matches if either does, as in cronie.
public struct CronExpression: Sendable, Equatable, CustomStringConvertible {
    public enum Field: Int, Sendable, CaseIterable, CustomStringConvertible {
        case minute, hour, dayOfMonth, month, dayOfWeek

        var range: ClosedRange<Int> {
            switch self {
            case .minute: 0...59
            case .hour: 0...23
            case .dayOfMonth: 1...31
            case .month: 1...12
            case .dayOfWeek: 0...7
            }
        }

        var names: [String] {
            switch self {
            case .month: ["JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC"]
            case .dayOfWeek: ["SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT"]
            default: []
            }
        }

        /// The value of `names[0]`.
        var firstNameValue: Int { self == .month ? 1 : 0 }

        public var description: String {
            switch self {
            case .minute: "minute"
            case .hour: "hour"
            case .dayOfMonth: "day-of-month"
            case .month: "month"
            case .dayOfWeek: "day-of-week"
            }
        }
    }

    /// The expression as written (macros kept).
    public let source: String
    public let minutes: Set<Int>
    public let hours: Set<Int>
    public let daysOfMonth: Set<Int>
    public let months: Set<Int>
    /// 0 = Sunday … 6 = Saturday (7 is folded into 0).
    public let daysOfWeek: Set<Int>
    /// The day-of-month field did not start with `*`.
    public let dayOfMonthRestricted: Bool
    /// The day-of-week field did not start with `*`.
    public let dayOfWeekRestricted: Bool
    /// The hour field is exactly `*` or contains a step: it fires every real hour across DST changes.
    public let hourIsWildcardLike: Bool

    public var description: String { source }

    static let macros: [String: String] = [
        "@hourly": "0 * * * *", "@daily": "0 0 * * *", "@midnight": "0 0 * * *",
        "@weekly": "0 0 * * 0", "@monthly": "0 0 1 * *", "@yearly": "0 0 1 1 *", "@annually": "0 0 1 1 *",
    ]

    public init(_ text: String) throws {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        source = trimmed
        var expanded = trimmed
        if trimmed.hasPrefix("@") {
            guard let macro = Self.macros[trimmed.lowercased()] else {
                throw NarrateError(.invalidInput, "cron: unknown macro \"\(trimmed)\" (use @hourly, @daily, @weekly, @monthly or @yearly)")
            }
            expanded = macro
        }
        let fields = expanded.split(whereSeparator: { $0 == " " || $0 == "\t" }).map(String.init)
        guard fields.count == 5 else {
            throw NarrateError(.invalidInput,
                "cron: \"\(trimmed)\" has \(fields.count) field\(fields.count == 1 ? "" : "s"); expected 5 (minute hour day-of-month month day-of-week)"
            )
        }
        minutes = try Self.parse(fields[0], .minute)
        hours = try Self.parse(fields[1], .hour)
        daysOfMonth = try Self.parse(fields[2], .dayOfMonth)
        months = try Self.parse(fields[3], .month)
        daysOfWeek = Set(try Self.parse(fields[4], .dayOfWeek).map { $0 % 7 })
        dayOfMonthRestricted = !fields[2].hasPrefix("*")
        dayOfWeekRestricted = !fields[4].hasPrefix("*")
        hourIsWildcardLike = fields[1] == "*" || fields[1].contains("/")
    }

    static func parse(_ text: String, _ field: Field) throws -> Set<Int> {
        var values = Set<Int>()
        for item in text.split(separator: ",", omittingEmptySubsequences: false).map(String.init) {
            func fail(_ why: String) -> NarrateError {
                NarrateError(.invalidInput, "cron: \(field): \"\(item)\" \(why)")
            }
            guard !item.isEmpty else { throw NarrateError(.invalidInput, "cron: \(field): empty list item in \"\(text)\"") }
            let pieces = item.split(separator: "/", omittingEmptySubsequences: false).map(String.init)
            guard pieces.count <= 2 else { throw fail("has more than one step") }
            var step = 1
            if pieces.count == 2 {
                guard let value = Int(pieces[1]), value > 0 else { throw fail("has a step that is not a positive number") }
                step = value
            }
            let range: ClosedRange<Int>
            if pieces[0] == "*" {
                range = field.range
            } else {
                let bounds = pieces[0].split(separator: "-", omittingEmptySubsequences: false).map(String.init)
                guard bounds.count <= 2 else { throw fail("is not a value or a range") }
                let low = try value(bounds[0], field, item: item)
                var high = bounds.count == 2 ? try value(bounds[1], field, item: item) : low
                if bounds.count == 1 && pieces.count == 2 { high = field.range.upperBound }  // `5/15` means 5-max/15
                guard low <= high else { throw fail("is a range that runs backwards") }
                range = low...high
            }
            values.formUnion(stride(from: range.lowerBound, through: range.upperBound, by: step))
        }
        return values
    }

    static func value(_ text: String, _ field: Field, item: String) throws -> Int {
        if let number = Int(text), text.allSatisfy(\.isNumber) {
            guard field.range.contains(number) else {
                throw NarrateError(.invalidInput,
                    "cron: \(field): \(number) in \"\(item)\" is out of range \(field.range.lowerBound)-\(field.range.upperBound)")
            }
            return number
        }
        if let index = field.names.firstIndex(of: text.uppercased()) {
            return index + field.firstNameValue
        }
        let names = field.names.isEmpty ? "" : " or \(field.names.first!)-\(field.names.last!)"
        let hint = Suggestion.closest(to: text.uppercased(), in: field.names).map { "; did you mean \($0)?" } ?? ""
        throw NarrateError(.invalidInput,
            "cron: \(field): \"\(text)\" is not a value (\(field.range.lowerBound)-\(field.range.upperBound)\(names))\(hint)")
    }
}

import Foundation
