import Foundation
import Testing
@testable import NarrateApp
@testable import NarrateModel
@testable import NarrateTOML
@testable import NarrateConfig
@testable import NarrateReport
@testable import NarrateTargets
@testable import NarratePlatform
@testable import NarrateDelivery
@testable import NarrateStore

@Suite struct PeriodTests {
    func date(_ text: String) -> Date { try! TimeText.parse(text, zone: .gmt, now: Date()) }

    @Test func isoWeekStartsMondayInTheZone() {
        let taipei = TimeZone(identifier: "Asia/Taipei")!
        // Sunday 23:30 in Taipei is still the week that began on Monday the 16th.
        let week = Period.containing(date("2026-11-22T23:30:00+08:00"), kind: .week, in: taipei)
        #expect(TimeText.iso(week.start, in: taipei) == "2026-11-16T00:00:00+08:00")
        #expect(TimeText.iso(week.end, in: taipei) == "2026-11-23T00:00:00+08:00")
        #expect(week.days.count == 7)
        #expect(TimeText.iso(week.previous.start, in: taipei) == "2026-11-09T00:00:00+08:00")
    }

    @Test func weekAcrossADSTChangeIsSevenCalendarDays() {
        let berlin = TimeZone(identifier: "Europe/Berlin")!
        let week = Period.containing(date("2026-10-28T12:00:00+01:00"), kind: .week, in: berlin)
        #expect(TimeText.iso(week.start, in: berlin) == "2026-10-26T00:00:00+01:00")
        let spring = Period.containing(date("2026-03-29T12:00:00+02:00"), kind: .week, in: berlin)
        #expect(TimeText.iso(spring.start, in: berlin) == "2026-03-23T00:00:00+01:00")
        #expect(TimeText.iso(spring.end, in: berlin) == "2026-03-30T00:00:00+02:00")
        #expect(spring.end.timeIntervalSince(spring.start) == 7 * 86_400 - 3_600)
    }

    /// Days are counted with integer arithmetic, not a `Calendar` per call: they agree with
    /// Foundation's Gregorian calendar on the day of an instant in a zone (zones with DST, odd
    /// offsets and Samoa's skipped day), on adding days, and on the weekday.
    @Test func dayArithmeticAgreesWithFoundationsCalendar() {
        var random = SeededRandom(seed: 5)
        let zones = ["UTC", "Europe/Berlin", "America/New_York", "Asia/Kathmandu", "Australia/Lord_Howe", "Pacific/Apia", "America/St_Johns"]
            .map { TimeZone(identifier: $0)! }
        for _ in 0..<4_000 {
            let zone = zones.randomElement(using: &random)!
            var calendar = Calendar(identifier: .gregorian)
            calendar.timeZone = zone
            // 1970 to 2199, the years narrate takes; a tenth of them near Samoa's skipped 2011-12-30.
            let instant = Bool.random(using: &random) && zone.identifier == "Pacific/Apia"
                ? Date(timeIntervalSince1970: 1_325_160_000 + Double.random(in: -200_000...200_000, using: &random))
                : Date(timeIntervalSince1970: Double.random(in: 0...7_258_000_000, using: &random))
            let parts = calendar.dateComponents([.year, .month, .day, .weekday], from: instant)
            let day = LocalDate(instant, in: zone)
            #expect(day == LocalDate(year: parts.year!, month: parts.month!, day: parts.day!), "\(instant) in \(zone.identifier)")
            #expect(day.weekdayFromMonday == (parts.weekday! + 5) % 7)
            let offset = Int.random(in: -800...800, using: &random)
            var utc = Calendar(identifier: .gregorian)
            utc.timeZone = TimeZone(identifier: "UTC")!
            let noon = utc.date(from: DateComponents(year: day.year, month: day.month, day: day.day, hour: 12))!
            let expected = utc.dateComponents([.year, .month, .day], from: utc.date(byAdding: .day, value: offset, to: noon)!)
            #expect(day.adding(days: offset) == LocalDate(year: expected.year!, month: expected.month!, day: expected.day!))
            #expect(LocalDate(dayNumber: day.dayNumber) == day)
        }
        #expect(LocalDate(year: 1970, month: 1, day: 1).dayNumber == 0)
        #expect(LocalDate(year: 2026, month: 3, day: 5).description == "2026-03-05")
    }

    @Test func monthQuarterAndDay() {
        let utc = TimeZone.gmt
        let month = Period.containing(date("2028-02-29T10:00:00Z"), kind: .month, in: utc)
        #expect(LocalDate(month.start, in: utc).description == "2028-02-01")
        #expect(month.days.count == 29)
        let quarter = Period.containing(date("2026-12-31T23:59:00Z"), kind: .quarter, in: utc)
        #expect(LocalDate(quarter.start, in: utc).description == "2026-10-01")
        #expect(LocalDate(quarter.end, in: utc).description == "2027-01-01")
        #expect(LocalDate(quarter.previous.start, in: utc).description == "2026-07-01")
        let day = Period.containing(date("2026-11-20T10:00:00Z"), kind: .day, in: utc)
        #expect(day.contains(date("2026-11-20T23:59:59Z")) && !day.contains(date("2026-11-21T00:00:00Z")))
    }

    @Test func timeTextParsesTheDocumentedForms() throws {
        let taipei = TimeZone(identifier: "Asia/Taipei")!
        let expected = date("2026-11-20T01:30:00Z")
        #expect(try TimeText.parse("2026-11-20T09:30+08:00", zone: .gmt, now: Date()) == expected)
        #expect(try TimeText.parse("2026-11-20 09:30", zone: taipei, now: Date()) == expected)
        #expect(try TimeText.parse("2026-11-20T01:30:00Z", zone: taipei, now: Date()) == expected)
        #expect(try TimeText.parse("2026-11-20", zone: taipei, now: Date()) == date("2026-11-20T04:00:00Z"))
        #expect(throws: NarrateError.self) { try TimeText.parse("2026-11-20 25:00", zone: taipei, now: Date()) }
        #expect(throws: NarrateError.self) { try TimeText.parse("last friday", zone: taipei, now: Date()) }
        #expect(TimeText.iso(expected, in: .gmt) == "2026-11-20T01:30:00+00:00")
    }
}
