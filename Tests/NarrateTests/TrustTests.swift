import Foundation
import Testing
@testable import NarrateApp
@testable import NarrateModel
@testable import NarrateTOML
@testable import NarrateConfig
@testable import NarrateReport
@testable import NarrateTargets
@testable import NarratePlatform
@testable import NarrateStore

/// Input that `check` and `metric` accept never crashes a report; out-of-range input is refused
/// with a clear error.
@Suite struct NumberBoundsTests {
    @Test func hugeReadingsAreRefusedWithTheRange() async throws {
        let cli = CLI()
        let record = try await cli.run("metric", "record", "lead-time", "1e19")
        #expect(record.status == 1)
        #expect(record.stderr.contains("1e+19 is outside the range narrate keeps (-1e+12 to 1e+12)"), "\(record.stderr)")
        write("kpi,value,at\nlead-time,1e308,2026-11-20\nlead-time,-inf,2026-11-20\nlead-time,3,2026-11-20\n", to: cli.directory + "/m.csv")
        let imported = try await cli.run("metric", "import", "m.csv")
        #expect(imported.status == 1)
        #expect(imported.stderr.contains("m.csv:2: 1e+308 is outside the range"), "\(imported.stderr)")
        #expect(imported.stderr.contains("m.csv:3: \"-inf\" is not a number"), "\(imported.stderr)")
        #expect(try SQLiteStore(directory: cli.stateDir).metricCount() == 0)
    }

    @Test func configNumbersAreBounded() {
        let problems = diagnostics(exampleConfig(replacing: "target = 24", with: "target = -1e308"))
        #expect(problems.contains { $0.severity == .error && $0.keyPath == "kpi[0].target" && $0.message.contains("outside the range") })
    }

    @Test func aReadingFromBeforeTheBoundsStillRenders() async throws {
        let cli = CLI()
        // A store written before readings were bounded may hold any finite number.
        let store = try SQLiteStore(directory: cli.stateDir)
        try store.record([
            MetricReading(kpi: "lead-time", value: 1e19, at: Date()), MetricReading(kpi: "deploy-frequency", value: -1e300, at: Date()),
            MetricReading(kpi: "change-failure-rate", value: 1e300, at: Date()),
        ])
        let preview = try await cli.run("preview")
        #expect(preview.status == 0, "\(preview.stderr)")
        #expect(preview.stdout.contains("1e+19"))
    }

    @Test func formattingIsTotal() {
        for locale in ["en", "zh-Hant"] {
            let format = LocaleFormat(locale: locale)
            for value in [1e19, -1e19, 1e300, .infinity, -.infinity, .nan, .greatestFiniteMagnitude, 0.05, -2.25] {
                _ = format.number(value)
                _ = format.percent(value)
                _ = format.duration(value)
            }
        }
        let format = LocaleFormat(locale: "en")
        #expect(format.number(1e19) == "1e+19")
        #expect(format.number(26.5) == "26.5" && format.number(-3) == "-3")
        #expect(format.number(.nan) == "—" && format.percent(.infinity) == "—")
    }

    /// A blocker logged a moment ago reads "open less than a minute", not "open 1 hour" (#25).
    @Test func shortDurationsAreMinutes() {
        let en = LocaleFormat(locale: "en"), zh = LocaleFormat(locale: "zh-Hant")
        #expect(en.duration(20) == "less than a minute" && zh.duration(20) == "不到 1 分鐘")
        #expect(en.duration(60) == "1 minute" && en.duration(600) == "10 minutes" && zh.duration(600) == "10 分鐘")
        #expect(en.duration(3_600) == "1 hour" && en.duration(5 * 3_600) == "5 hours" && en.duration(2 * 86_400) == "2 days")
    }
}

/// Times people type: absolute, relative, and within sane years.
@Suite struct TypedTimeTests {
    let taipei = TimeZone(identifier: "Asia/Taipei")!
    /// Wednesday 2026-11-25 15:00 in Taipei.
    let now = try! TimeText.parse("2026-11-25T15:00:00+08:00", zone: .gmt, now: Date())

    func parse(_ text: String) throws -> String {
        TimeText.iso(try TimeText.parse(text, zone: taipei, now: now), in: taipei)
    }

    @Test func relativeForms() throws {
        #expect(try parse("yesterday") == "2026-11-24T12:00:00+08:00")
        #expect(try parse("today") == "2026-11-25T15:00:00+08:00", "now: noon was in the future every morning")
        #expect(try parse("-2d") == "2026-11-23T15:00:00+08:00")
        #expect(try parse("-3h") == "2026-11-25T12:00:00+08:00")
        #expect(try parse("mon 17:00") == "2026-11-23T17:00:00+08:00")
        #expect(try parse("Monday") == "2026-11-23T12:00:00+08:00")
        #expect(try parse("wed 09:00") == "2026-11-25T09:00:00+08:00", "today, earlier")
        #expect(try parse("wed 16:00") == "2026-11-18T16:00:00+08:00", "never in the future")
        #expect(throws: NarrateError.self) { try parse("monster") }
        #expect(throws: NarrateError.self) { try parse("mon 25:00") }
    }

    @Test func yearsOutsideTheRangeAreRefused() async throws {
        #expect(throws: NarrateError(.invalidInput, "\"0001-01-01\" is outside the years narrate works with (1970–2199)")) {
            try parse("0001-01-01")
        }
        #expect(throws: NarrateError.self) { try parse("9999-12-31T10:00:00Z") }
        #expect(throws: NarrateError.self) { try LocalDate(parsing: "1900-01-01") }
        let cli = CLI()
        let preview = try await cli.run("preview", "--at", "0001-01-01")
        #expect(preview.status == 1 && preview.stderr.contains("outside the years narrate works with"), "\(preview.stderr)")
        let away = try await cli.run("away", "alice", "--from", "0001-01-01", "--to", "0001-01-02")
        #expect(away.status == 1 && away.stderr.contains("outside the years"))
    }
}

/// What the team report shows of people and of past periods.
@Suite struct ReportTruthTests {
    @Test func loadIsShownOnlyWhenThreePeopleGaveIt() throws {
        var input = ReportFixture.input
        // Three moods this week, but only Ben gave a load.
        input.moods = [
            MoodCheckIn(person: "ana", mood: 4, load: nil, at: ReportFixture.at(4, 17)),
            MoodCheckIn(person: "ben", mood: 3, load: 5, at: ReportFixture.at(4, 17)),
            MoodCheckIn(person: "eve", mood: 4, load: nil, at: ReportFixture.at(4, 18)),
        ]
        let report = ReportAnalyzer.analyze(input)
        #expect(report.mood?.answered == 3)
        #expect(report.mood?.averageLoad == nil && report.mood?.highLoad == nil)
        let markdown = try ReportRenderer().teamReport(report, locale: "en")
        #expect(markdown.contains("3 people answered: mood 3.7 of 5."))
        #expect(!markdown.contains("load 5 of 5") && !markdown.contains("high load"), "Ben's load alone is not shown")
        let chinese = try ReportRenderer().teamReport(report, locale: "zh-Hant")
        #expect(chinese.contains("3 人回覆") && !chinese.contains("負荷 5") && !chinese.contains("負荷偏高"))
        #expect(report.moodByPerson.first { $0.person.id == "ben" }?.load == 5, "the manager digest still has it")
    }

    @Test func aPastPeriodShowsEachItemAsItStoodThen() throws {
        var input = ReportFixture.input
        // Looking back at the week from a month later: Eve's blocker and Ben's runbook were
        // closed only after the week ended.
        input.now = ReportFixture.at(30)
        input.entries = input.entries.map { entry in
            var entry = entry
            if entry.id == 14 { (entry.state, entry.closedAt, entry.note) = (.resolved, ReportFixture.at(9), "settled with product later") }
            if entry.id == 2 { (entry.state, entry.closedAt) = (.done, ReportFixture.at(10)) }
            return entry
        }
        let report = ReportAnalyzer.analyze(input)
        #expect(report.openBlockers.contains { $0.entry.id == 14 }, "still open at the end of that week")
        let eve = report.people.first { $0.person.id == "eve" }!
        #expect(eve.blockers.first { $0.id == 14 }?.state == .open, "the card agrees with the blockers section")
        let ben = report.people.first { $0.person.id == "ben" }!
        #expect(ben.followUps.first { $0.entry.id == 2 }?.outcome == .carried)
        let markdown = try ReportRenderer().teamReport(report, locale: "en")
        #expect(!markdown.contains("settled with product later"), "a note written later is not shown")
    }
}

/// `narrate check` catches what would fail later.
@Suite struct CheckCatchesTests {
    static let chat = """

        [[target]]
        id = "chat"
        kind = "slack"
        url_env = "CHAT_URL"

        [[target]]
        id = "archive-chat"
        kind = "discord"
        url_file = "missing-secret"

        """

    @Test func everySecretIsResolvedUnlessOffline() async throws {
        let cli = CLI(config: exampleConfig(replacing: #"targets = ["terminal", "archive"]"#, with: #"targets = ["terminal", "archive", "chat", "archive-chat"]"#) + Self.chat)
        let check = try await cli.run("check")
        #expect(check.status == 1)
        #expect(check.stdout.contains("error: target[2].url_env: environment variable CHAT_URL is not set"), "\(check.stdout)")
        #expect(check.stdout.contains("error: target[3].url_file: cannot read secret file missing-secret"))
        #expect(try await cli.run("check", "--offline").status == 0, "without the secrets, the rest is fine")

        let badURL = try await cli.run(["check"], environment: ["CHAT_URL": "ftp://hooks.example.org/T1/B2/secretvalue77"])
        #expect(badURL.stdout.contains("target[2].url_env: the URL must start with https:// (or http://), not ftp:// (from $CHAT_URL)"))
        #expect(!badURL.stdout.contains("secretvalue77") && !badURL.stderr.contains("secretvalue77"))
    }

    @Test func plainURLsThatCanNeverWorkAreErrors() {
        let text = exampleConfig() + "\n[[target]]\nid = \"x\"\nkind = \"slack\"\nurl = \"https://hooks.example.org/a b\"\n"
            + "\n[[target]]\nid = \"y\"\nkind = \"telegram\"\napi = \"api.telegram.org\"\ntoken_env = \"T\"\nchat_id = \"1\"\n"
        let problems = diagnostics(text).filter { $0.severity == .error }
        #expect(problems.contains { $0.keyPath == "target[2].url" && $0.message == "the URL contains a space or line break" })
        #expect(problems.contains { $0.keyPath == "target[3].api" && $0.message.hasPrefix("not a URL") })
    }

    @Test func aConfigWithoutATeamIsAnError() {
        let problems = diagnostics("[narrate]\ntimezone = \"UTC\"\n")
        #expect(problems.contains { $0.severity == .error && $0.message.hasPrefix("the config defines no team") })
    }

    @Test func keysThatDoNothingYetAreWarned() {
        let text = exampleConfig(replacing: "unix_user = \"bob\"", with: "unix_user = \"bob\"\ngithub = \"bob-l\"\ngit = [\"bob@example.com\"]")
            + "\n[[target]]\nid = \"loud\"\nkind = \"stdout\"\nmentions = true\n"
        let warnings = diagnostics(text).filter { $0.severity == .warning }.map(\.keyPath)
        #expect(warnings.contains("person[1].github") && warnings.contains("person[1].git") && warnings.contains("target[2].mentions"))
        // With sources that read them, the identities are not warned about.
        let read = diagnostics(text + "\n[[source]]\nid = \"code\"\nkind = \"git\"\nrepos = [\"/srv/app\"]\n"
            + "\n[[source]]\nid = \"gh\"\nkind = \"github\"\nrepos = [\"acme/app\"]\ntoken_env = \"T\"\n")
        #expect(!read.contains { $0.keyPath == "person[1].git" || $0.keyPath == "person[1].github" }, "\(read)")
        #expect(diagnostics(exampleConfig()).isEmpty, "the example uses none of them")
    }

    @Test func suggestionsForValuesAndCronNames() {
        let direction = diagnostics(exampleConfig(replacing: #"direction = "up""#, with: #"direction = "higher""#))
        #expect(direction.contains { $0.message == #""higher" is not one of up, down (did you mean "up"?)"# })
        let cron = diagnostics(exampleConfig(replacing: "0 17 * * FRI", with: "0 17 * * FRY"))
        #expect(cron.contains { $0.message.hasSuffix("did you mean FRI?") })
    }

    @Test func theSummaryCountsInWords() async throws {
        let cli = CLI()
        let check = try await cli.run("check")
        #expect(check.stderr.hasSuffix(": ok (1 team, 5 people, 4 KPIs, 1 schedule, 2 targets); 0 warnings\n"), "\(check.stderr)")
    }
}

/// The store and the outbox as `deliveries`, `schedule` and reading commands see them.
@Suite struct StoreEdgeTests {
    @Test func aZeroLengthStoreIsAnErrorNotANewStore() async throws {
        let cli = CLI()
        try FileManager.default.createDirectory(atPath: cli.stateDir, withIntermediateDirectories: true)
        _ = FileManager.default.createFile(atPath: cli.stateDir + "/narrate.sqlite", contents: Data())
        let result = try await cli.run("history")
        #expect(result.status == 1)
        #expect(result.stderr.contains("is empty (0 bytes), not a narrate store"), "\(result.stderr)")
        let size = try FileManager.default.attributesOfItem(atPath: cli.stateDir + "/narrate.sqlite")[.size] as? Int
        #expect(size == 0, "left as it was")
    }

    @Test func aReadOnlyStoreServesReadingCommands() async throws {
        let (writable, _) = try exampleContext()
        _ = try await writable.checkIns.log(.progress, text: "Written before", by: writable.config.persons[0])
        let store = try SQLiteStore(readOnly: writable.stateDir + "/narrate.sqlite")
        #expect(store.isReadOnly)
        #expect(try store.entryCount() == 1)
        let context = AppContext(
            config: writable.config, store: store, stateDir: writable.stateDir, logger: writable.logger, clock: SystemClock(),
            secrets: writable.secrets, transport: writable.transport, renderer: writable.renderer, output: { _ in })
        #expect(try await context.reports.preview().first?.markdown.contains("Written before") == true)
        await #expect(try context.historyQuery.history().entries.count == 1)
        await #expect(throws: NarrateError.self) { try await context.checkIns.log(.progress, text: "x", by: context.config.persons[0]) }
    }

    @Test func deliveriesJSONHasISOTimesBodiesAndCumulativeAttempts() async throws {
        let receiver = try await Receiver()
        let (text, environment) = receiver.config(targets: ["slack"])
        var cli = CLI(config: text)
        cli.environment.merge(environment) { $1 }
        try await receiver.plan("/slack/", [["status": 500], ["status": 400, "body": "invalid_payload", "content_type": "text/plain"]])
        #expect(try await cli.now().status == 1)
        #expect(try await cli.run("retry", "--all-parked").status == 0)
        #expect(try await cli.now().status == 0)
        let json = try await cli.run("deliveries", "--json").stdout
        let rows = try #require(try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [[String: Any]])
        let row = try #require(rows.first)
        #expect(row["state"] as? String == "sent")
        #expect(row["attempts"] as? Int == 3, "two before the retry, one after")
        #expect(row["last_error"] == nil, "cleared once sent")
        #expect((row["body"] as? String)?.contains("Platform") == true)
        #expect(row["attempts_base"] as? Int == 2, "the API's key style, as the CLI's other --json")
        let sentAt = try #require(row["sent_at"] as? String)
        #expect(sentAt.wholeMatch(of: /\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}[+-]\d{2}:\d{2}/) != nil, "\(sentAt)")
    }

    @Test func scheduleCountIsBoundedAndRareExpressionsAreFound() async throws {
        let cli = CLI()
        let rare = try await cli.run("schedule", "--cron", "0 9 29 2 *", "--tz", "UTC", "--from", "2026-01-01", "--count", "8")
        #expect(rare.status == 0, "\(rare.stderr)")
        #expect(rare.stdout.split(separator: "\n").count == 8)
        #expect(rare.stdout.hasSuffix("2056-02-29T09:00:00+00:00\n"), "\(rare.stdout)")
        let many = try await cli.run("schedule", "--cron", "* * * * *", "--tz", "UTC", "--count", "100000")
        #expect(many.status == 1 && many.stderr.contains("--count must be from 1 to 1000"))
    }

    @Test func formatTakesTheCommonOptions() async throws {
        let cli = CLI()
        let result = try await cli.run(["format", "--dialect", "slack", "--config", cli.directory + "/narrate.toml"], stdin: "# Hi\n")
        #expect(result.status == 0 && result.stdout == "*Hi*\n")
    }
}

@Suite struct WordingTests {
    @Test func chineseAndLatinTextAreSpacedApart() {
        #expect(CJKSpacing.apply("但Change failure rate超過上限") == "但 Change failure rate 超過上限")
        #expect(CJKSpacing.apply("2026年11月16日,API已上線") == "2026年11月16日,API 已上線", "digits and punctuation stay")
        #expect(CJKSpacing.apply("**Alice**完成") == "**Alice**完成", "markup between them is left alone")
    }
}

/// What the fuzz tests found, pinned.
@Suite struct FuzzFindingsTests {
    @Test func aTableHeaderWithoutANameIsASyntaxErrorNotACrash() async throws {
        for header in ["[", "[[", "[=]", "[.a]", "[#x]", "[漢]"] {
            let cli = CLI(config: ExampleConfig.text + "\n" + header + "\n")
            let check = try await cli.run("check", "--offline")
            #expect(check.status == 1, "\(header): \(check.stderr)")
            let opening = header.hasPrefix("[[") ? "[[" : "["
            #expect(check.stdout.contains("error: TOML syntax: a table header needs a name after \"\(opening)\""), "\(header): \(check.stdout)")
        }
        #expect(TOMLParser.parse("x = [\n[1, 2]]\ny = \"\"\"\n[\n\"\"\"\n[ok]\n").error == nil, "arrays and strings are not headers")
    }

    @Test func numberedPartsFitEvenAtSmallLimits() {
        // The marker is measured as written: Matrix's "<p>(10/12)</p>" is longer than a quarter of a small limit.
        let markdown = (1...30).map { "- item \($0) with a few words" }.joined(separator: "\n")
        for dialect in Dialect.allCases {
            for limit in [48, 100] {
                let formatter = MessageFormatter(dialect: dialect, limit: limit)
                let parts = formatter.parts(markdown)
                #expect(parts.count > 1)
                #expect(parts.allSatisfy { dialect.measure($0) <= limit }, "\(dialect) \(limit): \(parts.map(dialect.measure))")
            }
        }
    }
}
