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

@Suite struct CronExpressionTests {
    @Test func namesListsRangesAndSteps() throws {
        let cron = try CronExpression("*/15 9-17/4 1,15 JAN-MAR mon-fri")
        #expect(cron.minutes == [0, 15, 30, 45])
        #expect(cron.hours == [9, 13, 17])
        #expect(cron.daysOfMonth == [1, 15])
        #expect(cron.months == [1, 2, 3])
        #expect(cron.daysOfWeek == [1, 2, 3, 4, 5])
        #expect(cron.dayOfMonthRestricted && cron.dayOfWeekRestricted)
        #expect(cron.hourIsWildcardLike)
    }

    @Test func macrosAndSundayAsSeven() throws {
        let weekly = try CronExpression("@weekly")
        #expect(weekly.minutes == [0] && weekly.hours == [0] && weekly.daysOfWeek == [0])
        #expect(!weekly.dayOfMonthRestricted && weekly.dayOfWeekRestricted)
        #expect(try CronExpression("0 0 * * 7").daysOfWeek == [0])
        #expect(try CronExpression("5/20 * * * *").minutes == [5, 25, 45])
    }

    @Test func hourFieldDecidesWildcardLikeness() throws {
        #expect(try CronExpression("0 * * * *").hourIsWildcardLike)
        #expect(try CronExpression("0 0-23/2 * * *").hourIsWildcardLike)
        #expect(!(try CronExpression("0 0-23 * * *").hourIsWildcardLike))
        #expect(!(try CronExpression("30 2 * * *").hourIsWildcardLike))
        #expect(!(try CronExpression("@daily").hourIsWildcardLike))
    }

    @Test(arguments: [
        ("0 17 * * FRY", #"cron: day-of-week: "FRY" is not a value (0-7 or SUN-SAT); did you mean FRI?"#),
        ("0 24 * * *", #"cron: hour: 24 in "24" is out of range 0-23"#),
        ("0 17 * *", #"cron: "0 17 * *" has 4 fields; expected 5 (minute hour day-of-month month day-of-week)"#),
        ("*/0 * * * *", #"cron: minute: "*/0" has a step that is not a positive number"#),
        ("0 0 10-2 * *", #"cron: day-of-month: "10-2" is a range that runs backwards"#),
        ("@fortnightly", #"cron: unknown macro "@fortnightly" (use @hourly, @daily, @weekly, @monthly or @yearly)"#),
        ("0 0 1,,2 * *", #"cron: day-of-month: empty list item in "1,,2""#),
    ])
    func invalidExpressionsNameFieldAndValue(expression: String, message: String) {
        #expect(throws: NarrateError(.invalidInput, message)) { try CronExpression(expression) }
    }
}
