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

/// narrate's fire times against a table of cases across zones with DST, checked against
/// croniter (an independent implementation, run as a subprocess).
///
/// Where the day has a DST change the two may differ, and only in the ways DESIGN.md's rules
/// say: croniter fires a fixed time twice when it repeats on fall-back (narrate: first occurrence
/// only), and fires a wildcard-like hour at the end of a spring-forward gap (narrate: that
/// hour does not exist, so no fire). Those cases carry narrate's expected times.
@Suite struct CronScheduleTests {
    struct Case: Sendable {
        var cron: String
        var tz: String
        var from: String
        var count: Int
        /// narrate's times where DST makes them differ from croniter's; nil means "same as croniter".
        var expected: [String]? = nil
    }

    static let cases: [Case] = [
        // No DST.
        Case(cron: "0 17 * * FRI", tz: "Asia/Taipei", from: "2026-11-23T00:00:00+08:00", count: 4),
        Case(cron: "*/20 9-10 * * MON-FRI", tz: "Asia/Taipei", from: "2026-11-27T10:30:00+08:00", count: 5),
        Case(cron: "0 0 29 2 *", tz: "UTC", from: "2026-01-01T00:00:00Z", count: 3),
        Case(cron: "0 12 29 2 MON", tz: "UTC", from: "2027-01-01T00:00:00Z", count: 4),  // either day field
        Case(cron: "0 0 1,15 * WED", tz: "Europe/Berlin", from: "2026-07-01T00:00:00+02:00", count: 6),
        Case(cron: "@monthly", tz: "America/New_York", from: "2026-12-15T00:00:00-05:00", count: 3),
        Case(cron: "5/20 * * * *", tz: "UTC", from: "2026-05-05T05:05:00Z", count: 4),
        Case(cron: "0 9 * JAN,JUL 1-5", tz: "Europe/Berlin", from: "2026-06-30T00:00:00+02:00", count: 3),
        // Spring forward, where both agree.
        Case(cron: "30 2 * * *", tz: "Europe/Berlin", from: "2026-03-28T00:00:00+01:00", count: 3),
        Case(cron: "*/30 2 * * *", tz: "Europe/Berlin", from: "2026-03-29T00:00:00+01:00", count: 3),
        Case(cron: "30 2 * * *", tz: "America/New_York", from: "2026-03-07T12:00:00-05:00", count: 3),
        Case(cron: "15 2 * * *", tz: "Australia/Lord_Howe", from: "2026-10-03T12:00:00+10:30", count: 3),
        Case(cron: "0 0 * * *", tz: "America/Santiago", from: "2026-09-05T12:00:00-04:00", count: 3),
        // Fall back, wildcard-like hours: both occurrences, where both agree.
        Case(cron: "30 * * * *", tz: "America/New_York", from: "2026-11-01T00:00:00-04:00", count: 4),
        Case(cron: "15,45 * * * *", tz: "Australia/Lord_Howe", from: "2026-04-05T00:00:00+11:00", count: 6),
        Case(cron: "0 * * * *", tz: "America/Santiago", from: "2026-04-04T21:30:00-03:00", count: 4),
        // Where narrate's rules differ from croniter's.
        Case(cron: "0 */2 * * *", tz: "Europe/Berlin", from: "2026-03-29T00:00:00+01:00", count: 3,
             expected: ["2026-03-29T04:00:00+02:00", "2026-03-29T06:00:00+02:00", "2026-03-29T08:00:00+02:00"]),
        Case(cron: "*/30 2 * * *", tz: "Europe/Berlin", from: "2026-10-25T00:00:00+02:00", count: 4,
             expected: ["2026-10-25T02:00:00+02:00", "2026-10-25T02:30:00+02:00", "2026-10-26T02:00:00+01:00", "2026-10-26T02:30:00+01:00"]),
        Case(cron: "0 1-3 * * *", tz: "Europe/Berlin", from: "2026-10-25T00:00:00+02:00", count: 4,
             expected: ["2026-10-25T01:00:00+02:00", "2026-10-25T02:00:00+02:00", "2026-10-25T03:00:00+01:00", "2026-10-26T01:00:00+01:00"]),
        Case(cron: "30 1 * * *", tz: "America/New_York", from: "2026-10-31T12:00:00-04:00", count: 3,
             expected: ["2026-11-01T01:30:00-04:00", "2026-11-02T01:30:00-05:00", "2026-11-03T01:30:00-05:00"]),
        Case(cron: "45 1 * * *", tz: "Australia/Lord_Howe", from: "2026-04-04T12:00:00+11:00", count: 3,
             expected: ["2026-04-05T01:45:00+11:00", "2026-04-06T01:45:00+10:30", "2026-04-07T01:45:00+10:30"]),
        Case(cron: "30 23 * * *", tz: "America/Santiago", from: "2026-04-04T12:00:00-03:00", count: 3,
             expected: ["2026-04-04T23:30:00-03:00", "2026-04-05T23:30:00-04:00", "2026-04-06T23:30:00-04:00"]),
    ]

    static func narrate(_ test: Case) throws -> [String] {
        try CronSchedule.fireTimes(cron: test.cron, zone: test.tz, from: try time(test.from, test.tz), count: test.count)
    }

    /// croniter's answers for every case, in one subprocess.
    static func croniter() async throws -> [[String]] {
        let script = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("cron/croniter_times.py").path
        let input = try JSONSerialization.data(withJSONObject: cases.map {
            ["cron": $0.cron, "tz": $0.tz, "from": $0.from, "count": $0.count] as [String: Any]
        })
        let process = try await ChildProcess.run("/usr/bin/env", ["python3", script], stdin: String(decoding: input, as: UTF8.self))
        guard process.status == 0 else { throw NarrateError(.internal, "croniter failed; is it installed (scripts/setup.sh)? \(process.stderr)") }
        return try JSONDecoder().decode([[String]].self, from: Data(process.stdout.utf8))
    }

    @Test func agreesWithCroniterExceptWhereTheDSTRulesSayOtherwise() async throws {
        let reference = try await Self.croniter()
        #expect(reference.count == Self.cases.count)
        for (test, theirs) in zip(Self.cases, reference) {
            let ours = try Self.narrate(test)
            if let expected = test.expected {
                #expect(ours == expected, "\(test.cron) in \(test.tz)")
                #expect(ours != theirs, "\(test.cron) in \(test.tz): expected a documented difference from croniter")
                // croniter's extra fires lie within a day of a DST transition; ours beyond its
                // list are only the later fires that its extra ones crowded out.
                let zone = TimeZone(identifier: test.tz)!
                for time in Set(theirs).subtracting(ours) {
                    let instant = try TimeText.parse(time, zone: zone, now: Date())
                    let change = zone.nextDaylightSavingTimeTransition(after: instant.addingTimeInterval(-86_400 * 1.5))!
                    #expect(abs(change.timeIntervalSince(instant)) < 86_400 * 1.5, "\(time) is not near a DST change")
                }
                let lastTheirs = try TimeText.parse(theirs.last!, zone: zone, now: Date())
                for time in Set(ours).subtracting(theirs) {
                    let instant = try TimeText.parse(time, zone: zone, now: Date())
                    let change = zone.nextDaylightSavingTimeTransition(after: instant.addingTimeInterval(-86_400 * 1.5))!
                    #expect(instant > lastTheirs || abs(change.timeIntervalSince(instant)) < 86_400 * 1.5, "\(time)")
                }
            } else {
                #expect(ours == theirs, "\(test.cron) in \(test.tz) from \(test.from)")
            }
        }
    }

    @Test func gapAndFoldRulesAsDesignStatesThem() throws {
        // Berlin 02:30 in the spring gap fires at 03:00+02:00; Lord Howe 02:15 at 02:30+11:00.
        #expect(try CronSchedule.fireTimes(cron: "30 2 * * *", zone: "Europe/Berlin", from: try time("2026-03-29T00:00:00+01:00", "Europe/Berlin"), count: 1) == ["2026-03-29T03:00:00+02:00"])
        #expect(try CronSchedule.fireTimes(cron: "15 2 * * *", zone: "Australia/Lord_Howe", from: try time("2026-10-04T00:00:00+10:30", "Australia/Lord_Howe"), count: 1) == ["2026-10-04T02:30:00+11:00"])
        // Several fixed times inside one gap collapse into one fire.
        let collapsed = try CronSchedule.fireTimes(cron: "*/10 2 * * *", zone: "Europe/Berlin", from: try time("2026-03-29T00:00:00+01:00", "Europe/Berlin"), count: 2)
        #expect(collapsed == ["2026-03-29T03:00:00+02:00", "2026-03-30T02:00:00+02:00"])
        // A wildcard hour fires every real hour: 23 fires on the spring day, 25 on the fall day.
        let spring = try CronSchedule.fireTimes(cron: "0 * * * *", zone: "Europe/Berlin", from: try time("2026-03-28T23:30:00+01:00", "Europe/Berlin"), count: 30)
        #expect(spring.filter { $0.hasPrefix("2026-03-29") }.count == 23)
        let fall = try CronSchedule.fireTimes(cron: "0 * * * *", zone: "Europe/Berlin", from: try time("2026-10-24T23:30:00+02:00", "Europe/Berlin"), count: 30)
        #expect(fall.filter { $0.hasPrefix("2026-10-25") }.count == 25)
    }

    @Test func previousAndRangeQueries() throws {
        let schedule = CronSchedule(cron: try CronExpression("0 17 * * FRI"), zone: TimeZone(identifier: "Asia/Taipei")!)
        let monday = try TimeText.parse("2026-11-23T09:00:00+08:00", zone: .gmt, now: Date())
        let previous = try #require(schedule.previous(atOrBefore: monday))
        #expect(TimeText.iso(previous, in: schedule.zone) == "2026-11-20T17:00:00+08:00")
        let fires = schedule.fires(after: monday.addingTimeInterval(-30 * 86_400), upTo: monday)
        #expect(fires.count == 4 && fires.last == previous)
    }

    @Test func badInputIsAClearError() {
        #expect(throws: NarrateError(.invalidInput, #""Mars/Base" is not an IANA time zone"#)) {
            try CronSchedule.fireTimes(cron: "* * * * *", zone: "Mars/Base", from: try time("now", "Mars/Base"), count: 1)
        }
        #expect(throws: NarrateError.self) { try CronSchedule.fireTimes(cron: "61 * * * *", zone: "UTC", from: try time("now", "UTC"), count: 1) }
    }
}
