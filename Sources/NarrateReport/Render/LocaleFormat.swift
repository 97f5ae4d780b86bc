import NarrateModel
import Foundation

/// Dates, numbers, durations and lists as each supported locale writes them.
///
/// Hand-written rather than ICU-driven so that reports read the same on every machine.
public struct LocaleFormat: Sendable {
    let locale: String

    public init(locale: String) { self.locale = locale }

    var isChinese: Bool { locale == "zh-Hant" }

    static let englishMonths = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
    static let englishLongMonths = [
        "January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
        "November", "December",
    ]

    func day(_ date: LocalDate) -> String {
        isChinese ? "\(date.year)年\(date.month)月\(date.day)日" : "\(date.day) \(Self.englishMonths[date.month - 1]) \(date.year)"
    }

    /// A deadline: "Fri 27 Nov 17:00", "11月27日（五）17:00".
    func moment(_ date: Date, in zone: TimeZone) -> String {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = zone
        let parts = calendar.dateComponents([.month, .day, .weekday, .hour, .minute], from: date)
        let (month, day, weekday) = (parts.month ?? 1, parts.day ?? 1, (parts.weekday ?? 1) - 1)
        let time = String(format: "%02d:%02d", parts.hour ?? 0, parts.minute ?? 0)
        if isChinese { return "\(month)月\(day)日（\(Array("日一二三四五六")[weekday])）\(time)" }
        return "\(["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"][weekday]) \(day) \(Self.englishMonths[month - 1]) \(time)"
    }

    /// The period as a heading would say it.
    func period(_ period: Period) -> String {
        let first = LocalDate(period.start, in: period.timeZone)
        let last = LocalDate(period.end.addingTimeInterval(-1), in: period.timeZone)
        switch period.kind {
        case .day:
            return day(first)
        case .month:
            return isChinese ? "\(first.year)年\(first.month)月" : "\(Self.englishLongMonths[first.month - 1]) \(first.year)"
        case .quarter:
            let quarter = (first.month - 1) / 3 + 1
            return isChinese ? "\(first.year)年第\(quarter)季" : "Q\(quarter) \(first.year)"
        case .week, .sinceLast:
            return range(first, last)
        }
    }

    func range(_ first: LocalDate, _ last: LocalDate) -> String {
        if first == last { return day(first) }
        if isChinese {
            let end = first.year == last.year ? "\(last.month)月\(last.day)日" : day(last)
            return "\(day(first))至\(end)"
        }
        if first.year == last.year && first.month == last.month {
            return "\(first.day)–\(last.day) \(Self.englishMonths[first.month - 1]) \(first.year)"
        }
        if first.year == last.year {
            return "\(first.day) \(Self.englishMonths[first.month - 1]) – \(last.day) \(Self.englishMonths[last.month - 1]) \(last.year)"
        }
        return "\(day(first)) – \(day(last))"
    }

    /// Whole days when a day or more, else hours: "3 days", "5 hours", "3 天", "5 小時".
    public func duration(_ seconds: TimeInterval) -> String {
        // Beyond a million years (or not a number) there is nothing useful to say, and Int() would trap.
        guard seconds.isFinite, abs(seconds) < 3e13 else { return "—" }
        let days = Int((seconds / 86_400).rounded(.down))
        if days >= 1 { return isChinese ? "\(days) 天" : "\(days) day\(days == 1 ? "" : "s")" }
        // A blocker logged a moment ago is not "open 1 hour".
        if seconds < 60 { return isChinese ? "不到 1 分鐘" : "less than a minute" }
        if seconds < 3_570 {
            let minutes = Int((seconds / 60).rounded())
            return isChinese ? "\(minutes) 分鐘" : "\(minutes) minute\(minutes == 1 ? "" : "s")"
        }
        let hours = max(1, Int((seconds / 3_600).rounded()))
        return isChinese ? "\(hours) 小時" : "\(hours) hour\(hours == 1 ? "" : "s")"
    }

    /// At most one decimal, no trailing zero: 26, 26.5, 3.7; very large values in exponent
    /// form (1e+19), and "—" for what is not a number. Never traps.
    func number(_ value: Double) -> String {
        guard value.isFinite else { return "—" }
        guard abs(value) < 1e15 else { return String(format: "%g", value) }
        let rounded = (value * 10).rounded() / 10
        if rounded == rounded.rounded() { return String(Int(rounded)) }
        return String(format: "%.1f", rounded)
    }

    func percent(_ ratio: Double) -> String {
        guard ratio.isFinite else { return "—" }
        return number((ratio * 100).rounded()) + "%"
    }

    public func list(_ items: [String]) -> String { items.joined(separator: isChinese ? "、" : ", ") }
}

extension LocaleFormat {
    /// A blocker's stage as the locale names it.
    public func stage(_ stage: Entry.Stage) -> String {
        switch (stage, isChinese) {
        case (.front, false): "front"
        case (.middle, false): "middle"
        case (.back, false): "back"
        case (.front, true): "前段"
        case (.middle, true): "中段"
        case (.back, true): "後段"
        }
    }
}
