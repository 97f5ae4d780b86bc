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

@Suite struct ReportRendererTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()
    let renderer = try! ReportRenderer()
    let report = ReportFixture.report

    /// Compares with `Tests/NarrateTests/Golden/NAME`; `NARRATE_UPDATE_GOLDEN=1` rewrites the file instead.
    func expectGolden(_ text: String, _ name: String, sourceLocation: SourceLocation = #_sourceLocation) throws {
        let url = Self.root.appendingPathComponent("Tests/NarrateTests/Golden/\(name)")
        if ProcessInfo.processInfo.environment["NARRATE_UPDATE_GOLDEN"] == "1" {
            try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try text.write(to: url, atomically: true, encoding: .utf8)
        }
        let golden = try String(contentsOf: url, encoding: .utf8)
        #expect(text == golden, "differs from Golden/\(name)", sourceLocation: sourceLocation)
    }

    @Test(arguments: Config.locales)
    func teamReportMatchesGolden(locale: String) throws {
        try expectGolden(try renderer.teamReport(report, locale: locale), "\(locale)/team-report.md")
    }

    @Test(arguments: Config.locales)
    func personCardMatchesGolden(locale: String) throws {
        try expectGolden(try renderer.personCard(report.people[0], locale: locale), "\(locale)/person-card.md")
    }

    @Test(arguments: Config.locales)
    func managerDigestMatchesGolden(locale: String) throws {
        try expectGolden(try renderer.managerDigest(report, locale: locale), "\(locale)/manager-digest.md")
    }

    /// A team report compiles its template and the card it uses, nothing else: swift-mustache's
    /// parser is slow enough that the six templates of a locale were 12% of a one-team preview.
    @Test func aTeamReportCompilesOnlyTheTemplatesItUses() throws {
        let renderer = try ReportRenderer()
        _ = try renderer.teamReport(report, locale: "en")
        let library = try renderer.library(for: "en/team-report")
        #expect(library.getTemplate(named: "en/person-card") != nil)
        for name in ["en/manager-digest", "en/reminder", "zh-Hant/team-report"] { #expect(library.getTemplate(named: name) == nil, "\(name)") }
        #expect(ReportRenderer.partials(in: BundledTemplates.all["en/team-report"]!) == ["en/person-card"])
    }

    /// Without overrides a locale's templates are compiled on first use, apart from the other
    /// locale's: so every bundled template must parse, and its partials must be of its locale.
    @Test func bundledTemplatesParseAndUsePartialsOfTheirOwnLocale() throws {
        for (name, text) in BundledTemplates.all {
            let locale = String(name.split(separator: "/")[0])
            _ = try ReportRenderer.compile([name: TemplateSource(text: text, file: "(bundled)")])
            for partial in ReportRenderer.partials(in: text) {
                #expect(partial.hasPrefix(locale + "/") && BundledTemplates.all[partial] != nil, "\(name) uses \(partial)")
            }
        }
    }

    @Test func bundledTemplatesMatchTheTemplatesFolder() throws {
        for (name, text) in BundledTemplates.all {
            let file = try String(contentsOf: Self.root.appendingPathComponent("templates/\(name).mustache"), encoding: .utf8)
            #expect(file == text + "\n", "templates/\(name).mustache changed: run make templates")
        }
        let files = FileManager.default.enumerator(atPath: Self.root.appendingPathComponent("templates").path)!
            .compactMap { $0 as? String }.filter { $0.hasSuffix(".mustache") }
        #expect(files.count == BundledTemplates.all.count)
        for locale in Config.locales {
            for name in ReportRenderer.templateNames {
                #expect(BundledTemplates.all["\(locale)/\(name)"] != nil, "\(locale)/\(name)")
            }
        }
    }

    /// The section headings of a rendered report, level and text, parsed by cmark-gfm.
    func headings(_ markdown: String) -> [String] {
        MarkdownDocument(parsing: markdown).root.descendants.filter { $0.type == "heading" }
            .map { "\($0.level) \($0.plainText)" }
    }

    @Test func englishReportHasTheSectionsInOrder() throws {
        let markdown = try renderer.teamReport(report, locale: "en")
        #expect(headings(markdown) == [
            "1 Core Services · week of 16–22 Nov 2026", "2 Asks and decisions", "2 KPIs", "2 Small improvements", "2 Blockers by stage",
            "3 Front (1)", "3 Back (1)", "3 Unstaged (1)", "2 People", "3 Ana Lee", "3 Ben *Bold* Wu", "3 Eve Lin", "2 Load and mood",
        ], "learnings live in the cards only")
    }

    @Test func chineseReportHasTheSameStructure() throws {
        let english = headings(try renderer.teamReport(report, locale: "en"))
        let chinese = headings(try renderer.teamReport(report, locale: "zh-Hant"))
        #expect(chinese.count == english.count)
        #expect(chinese.map(\.first) == english.map(\.first))
        #expect(chinese.contains("2 成員工作敘事") && chinese.contains("2 小改善"))
    }

    /// A higher-is-better guardrail's limit is a floor it falls below, not a ceiling (上限 / 下限).
    @Test func aFloorGuardrailIsWordedAsAFloor() throws {
        var floored = report
        floored.kpis[0].guardrails[0].kpi.direction = .up
        let english = try renderer.teamReport(floored, locale: "en")
        #expect(english.contains("(was 11%; floor 15%): **below its floor**") && english.contains("fell below its floor (18%, floor 15%)"))
        let chinese = try renderer.teamReport(floored, locale: "zh-Hant")
        #expect(chinese.contains("（上期 11%；下限 15%）：**低於下限**") && chinese.contains("低於下限（18%，下限 15%）"))
        let row = chinese.split(separator: "\n").first { $0.hasPrefix("| Lead time") } ?? ""
        #expect(row.contains("下限") && !row.contains("上限"), "\(row)")
    }

    /// Names and units per locale (`name_zh-Hant`, `unit_zh-Hant`); time units translate themselves.
    @Test func kpiNamesAndUnitsFollowTheLocale() throws {
        // The example config shows them.
        let (config, found) = Config.parse(text: ExampleConfig.text, file: "t.toml")
        #expect(found.isEmpty, "\(found)")
        let deploys = try #require(config?.kpi("deploy-frequency"))
        #expect(deploys.name(in: "zh-Hant") == "每週部署次數" && deploys.unit(in: "zh-Hant") == "次部署" && deploys.name(in: "en") == "Deploys per week")
        var localized = report
        localized.kpis[1].kpi.localizedNames["zh-Hant"] = "工單結案數"
        localized.kpis[1].kpi.localizedUnits["zh-Hant"] = "張"
        let chinese = try renderer.teamReport(localized, locale: "zh-Hant")
        #expect(chinese.contains("| 工單結案數（落後指標） | 36 張 | 31 張 | 40 張 · 未達標（90%） |"))
        #expect(chinese.contains("| Lead time（領先指標） | 26 小時 | 38 小時 |"), "hours are 小時 without being told")
        #expect(try renderer.teamReport(localized, locale: "en").contains("| Tickets closed (lagging) | 36 tickets |"))
    }

    /// A change KPI is a signed difference, in points when its unit is %.
    @Test func aChangeIsSignedAndInPoints() throws {
        let context = ReportContext(report: report, format: LocaleFormat(locale: "en"))
        let change = KPI(id: "c", team: "core", name: "Churn change", kind: .change, unit: "%", direction: .down, target: -1)
        #expect(context.value(2.5, change) == "+2.5 pp")
        #expect(context.value(-1, change) == "-1 pp")
        #expect(context.value(2.5, KPI(id: "r", team: "core", name: "Rate", kind: .ratio, unit: "%")) == "2.5%")
    }

    @Test func kpiTableAndSideEffectWarningParseAsGFM() throws {
        let document = MarkdownDocument(parsing: try renderer.teamReport(report, locale: "en")).root
        let tables = document.descendants.filter { $0.type == "table" }
        #expect(tables.count == 1)
        let rows = tables[0].children.filter { $0.type == "table_row" || $0.type == "table_header" }
        #expect(rows.count == 3)
        let lead = rows[1].children.map(\.plainText)
        #expect(lead.count == 7)
        #expect(lead[0] == "Lead time (leading)" && lead[1] == "26 h" && lead[2] == "38 h" && lead[4] == "↓ better", "lower is better for lead time")
        #expect(lead[5] == "Change failure rate 18% (was 11%; ceiling 15%): breached")
        #expect(lead[6] == "⚠️ side effect")
        // The side-effect warning is a block quote with a bold label, and the KPI is not listed as an improvement.
        let quotes = document.descendants.filter { $0.type == "block_quote" }
        #expect(quotes.count == 1)
        #expect(quotes[0].plainText.hasPrefix("⚠️ Side effect: Lead time moved the better way (38 h → 26 h), but Change failure rate breached"))
        #expect(quotes[0].descendants.contains { $0.type == "strong" })
        let improvements = try #require(section("Small improvements", in: document))
        #expect(!improvements.contains { $0.plainText.contains("Lead time") })
        // The KPI table says Tickets closed improves; the improvements do not repeat it.
        #expect(!improvements.contains { $0.plainText.contains("Tickets closed") })
    }

    /// Every item once: an open blocker's text is under "Blockers by stage" (an escalated one's
    /// under the asks), a resolved one's under the improvements (the card names its id); asks come first.
    @Test func everyItemAppearsOnceAndAsksComeFirst() throws {
        let markdown = try renderer.teamReport(report, locale: "en")
        for text in ["Staging DB too small for load tests", "No access to prod logs", "Release waits on manual security approval",
                     "DNS TTL dominates failover time", "Deploy is one command now"] {
            #expect(markdown.components(separatedBy: text).count == 2, "\(text) appears once")
        }
        let asks = try #require(section("Asks and decisions", in: MarkdownDocument(parsing: markdown).root)).map(\.plainText)
        #expect(asks.contains { $0.hasPrefix("B-4 Staging DB too small for load tests: blocks Ben *Bold* Wu for 17 days at the back stage") })
        #expect(asks.contains { $0.hasPrefix("Lead time improved at a guardrail's expense") })
        // A falling follow-through rate (33% after 50%) is not a small improvement.
        #expect(!markdown.contains("followed through"))
    }

    @Test func asksDecisionsOwnersActionsAndThanksAreShown() throws {
        var input = ReportFixture.input
        let lead = try #require(input.kpis.firstIndex { $0.id == "lead" })
        input.kpis[lead].owner = "eve"
        var action = ReportFixture.entry(50, "eve", .next, "Add a canary stage to cut failures", ReportFixture.at(1))
        action.kpi = "lead"
        input.entries += [
            action, ReportFixture.entry(51, "ana", .ask, "Need a second reviewer for the refund flow", ReportFixture.at(2)),
            ReportFixture.entry(52, "ben", .decision, "Keep or drop the legacy export?", ReportFixture.at(2)),
            ReportFixture.entry(53, "ben", .helped, "Reviewed Ana's pipeline change", ReportFixture.at(3)),
        ]
        let report = ReportAnalyzer.analyze(input)
        let english = try renderer.teamReport(report, locale: "en")
        #expect(english.contains("- **Lead time** improved at a guardrail's expense. Owner: Eve Lin. Next action: N-50."))
        #expect(english.contains("- **Ask** from Ana Lee: Need a second reviewer for the refund flow"))
        #expect(english.contains("- **Decision needed** for Ben \\*Bold\\* Wu: Keep or drop the legacy export?"))
        #expect(english.contains("**Thanks** to Ben \\*Bold\\* Wu for helping others this period."))
        #expect(english.contains("- Reviewed Ana's pipeline change"), "the help is in the card")
        let chinese = try renderer.teamReport(report, locale: "zh-Hant")
        #expect(chinese.contains("- **請求協助**（Ana Lee）：Need a second reviewer for the refund flow"))
        #expect(chinese.contains("**感謝** Ben \\*Bold\\* Wu 本期協助他人。"))
    }

    @Test func chineseBoldLabelsStayBold() throws {
        let document = MarkdownDocument(parsing: try renderer.teamReport(report, locale: "zh-Hant")).root
        let strong = document.descendants.filter { $0.type == "strong" }.map(\.plainText)
        #expect(strong.contains("已回報") && strong.contains("副作用") && strong.contains("未回報"))
        // The only literal ** left is the one a person typed (escaped), not a broken label.
        let literal = document.descendants.filter { $0.type == "text" && ($0.literal ?? "").contains("**") }
        #expect(literal.map(\.plainText) == ["Split the deploy pipeline into **build** and release"])
    }

    /// The list items under a level-2 heading, until the next level-2 heading.
    func section(_ title: String, in document: MarkdownDocument.Node) -> [MarkdownDocument.Node]? {
        guard let start = document.children.firstIndex(where: { $0.type == "heading" && $0.plainText == title }) else { return nil }
        let rest = document.children[(start + 1)...]
        let end = rest.firstIndex { $0.type == "heading" && $0.level <= 2 } ?? document.children.endIndex
        return document.children[(start + 1)..<end].flatMap(\.descendants).filter { $0.type == "item" }
    }

    @Test func emptyPartsAreOmittedAndNobodyIsRanked() throws {
        let markdown = try renderer.teamReport(report, locale: "en")
        let document = MarkdownDocument(parsing: markdown).root
        // Dev wrote nothing: no card, no empty headings; listed as not reported instead.
        #expect(!headings(markdown).contains("3 Dev Rao"))
        #expect(markdown.contains("**No report:** Dev Rao"))
        #expect(markdown.contains("**Away:** Chloe Tsai"))
        #expect(!headings(markdown).contains { $0.hasPrefix("3 Chloe") }, "away and silent: listed as away, no empty card")
        let strongLabels = document.descendants.filter { $0.type == "strong" }.map(\.plainText)
        #expect(strongLabels.filter { $0 == "Learned" }.count == 2, "Ana has no learnings, so no Learned label on her card")
        #expect(!markdown.contains("{{") && !markdown.contains("}}"))
    }

    @Test func moodIsShownOnlyAsAnAggregate() throws {
        let markdown = try renderer.teamReport(report, locale: "en")
        #expect(markdown.contains("3 people answered: mood 3.3 of 5, load 4 of 5; 2 report a high load."))
        #expect(!markdown.contains("| Ben"))
        var input = ReportFixture.input
        input.moods.removeAll { $0.person == "eve" }
        #expect(!headings(try renderer.teamReport(ReportAnalyzer.analyze(input), locale: "en")).contains("2 Load and mood"))
        let digest = try renderer.managerDigest(report, locale: "en")
        #expect(digest.contains("| Ben \\*Bold\\* Wu | 2 | 5 |"))
    }

    @Test func userTextCannotRestyleOrPing() throws {
        let markdown = try renderer.teamReport(report, locale: "en")
        let document = MarkdownDocument(parsing: markdown).root
        let ana = document.descendants.first { $0.type == "item" && $0.plainText.hasPrefix("Split the deploy") }!
        #expect(ana.plainText == "Split the deploy pipeline into **build** and release")
        #expect(!ana.descendants.contains { $0.type == "strong" })
        let ben = document.descendants.first { $0.type == "item" && $0.plainText.hasPrefix("Failover tested") }!
        #expect(!ben.descendants.contains { $0.type == "html_inline" })
        #expect(!ben.plainText.contains("@here"), "the mention is broken by a word joiner")
        #expect(ben.plainText.replacingOccurrences(of: "\u{2060}", with: "") == "Failover tested twice @here <b>really</b>")
        #expect(headings(markdown).contains("3 Ben *Bold* Wu"))
    }

    /// The renderer of a config whose `templates_dir` is `directory`, loaded as the daemon loads it.
    static func renderer(templatesDir directory: String) throws -> ReportRenderer {
        var config = Config(file: temporaryRoot + "/narrate.toml")
        config.templatesDir = directory
        return try ConfigFile.renderer(for: config)
    }

    @Test func userTemplateOverridesByNameAndErrorsNameTheTemplate() throws {
        let directory = temporaryDirectory()
        write("{{% CONTENT_TYPE: TEXT }}\n# {{team}}: custom\n", to: directory + "/en/team-report.mustache")
        let custom = try Self.renderer(templatesDir: directory)
        #expect(try custom.teamReport(report, locale: "en") == "# Core Services: custom\n")
        #expect(try custom.teamReport(report, locale: "zh-Hant").hasPrefix("# Core Services · 週報"), "other templates stay bundled")

        write("{{% CONTENT_TYPE: TEXT }}\n# ok\n\n{{#people}}\n{{name}\n{{/people}}\n", to: directory + "/en/person-card.mustache")
        #expect {
            try Self.renderer(templatesDir: directory)
        } throws: { error in
            guard let error = error as? TemplateError else { return false }
            return error.name == "en/person-card" && error.line == 5 && error.file.hasSuffix("en/person-card.mustache")
                && "\(error)".contains("the report was not sent")
        }
        #expect(throws: NarrateError.self) { try Self.renderer(templatesDir: directory + "/missing") }
    }
}

/// The KPI standard over time: six periods of readings, each KPI at its own review cadence and
/// kind, and the guardrails' warning tier.
@Suite struct KPITrendTests {
    let renderer = try! ReportRenderer()

    /// A reading in each of the six weeks ending with the fixture's: lead time falls, tickets rise.
    static var sixWeeks: ReportInput {
        var input = ReportFixture.input
        input.readings = []
        for (index, (lead, tickets)) in [(60.0, 20.0), (52, 24), (47, 27), (41, 30), (38, 31), (26, 36)].enumerated() {
            let day = (index - 5) * 7 + 2
            input.readings += [
                MetricReading(kpi: "lead", value: lead, at: ReportFixture.at(day)),
                MetricReading(kpi: "tickets", value: tickets, at: ReportFixture.at(day)),
                MetricReading(kpi: "cfr", value: 11, at: ReportFixture.at(day)),
                MetricReading(kpi: "reopen", value: 2, at: ReportFixture.at(day)),
            ]
        }
        return input
    }

    @Test func sixPeriodsShowAsASparklineInTheKPIsDirection() throws {
        let report = ReportAnalyzer.analyze(Self.sixWeeks)
        let lead = try #require(report.kpis.first { $0.kpi.id == "lead" })
        #expect(lead.series == [60, 52, 47, 41, 38, 26])
        #expect(ReportContext.sparkline(lead.series) == "█▆▅▄▃▁")
        let markdown = try renderer.teamReport(report, locale: "en")
        #expect(markdown.contains("| Lead time (leading) | 26 h | 38 h | 24 h · not met | ↓ better █▆▅▄▃▁ |"), "\(markdown)")
        #expect(markdown.contains("| Tickets closed (lagging) | 36 tickets | 31 tickets | 40 tickets · not met (90%) | ↑ better ▁▃▄▅▆█ |"))
        // Two periods with readings are not a trend yet: the fixture week alone shows none.
        #expect(!(try renderer.teamReport(ReportFixture.report, locale: "en")).contains("█"))
    }

    /// Judged on the report's period by its kind; its trend series is of its review cadence.
    @Test func aKPIIsJudgedOnTheReportsPeriodWithItsCadencesSeries() throws {
        var input = Self.sixWeeks
        let tickets = try #require(input.kpis.firstIndex { $0.id == "tickets" })
        input.kpis[tickets].review = .monthly
        let report = ReportAnalyzer.analyze(input)
        let status = try #require(report.kpis.first { $0.kpi.id == "tickets" })
        // The week against the week before, as a rate a month (the target's unit); the series
        // by month (a count: October's weeks add up).
        #expect(status.span?.kind == .month)
        let month = 365.2425 / 12 * 86_400, elapsed = ReportFixture.now.timeIntervalSince(ReportFixture.week.start)
        #expect(abs(status.current! - 36 * month / elapsed) < 1e-9 && abs(status.previous! - 31 * month / (7 * 86_400)) < 1e-9)
        #expect(status.series.suffix(2) == [71, 97], "October 20 + 24 + 27, November so far 30 + 31 + 36")
        let lead = try #require(report.kpis.first { $0.kpi.id == "lead" })
        #expect(lead.span?.kind == .week && lead.current == 26, "a weekly average in a weekly report")
    }

    @Test func aGuardrailPastItsWarningTierIsNearItsLimit() throws {
        var input = Self.sixWeeks
        let cfr = try #require(input.kpis.firstIndex { $0.id == "cfr" })
        input.kpis[cfr].warnAt = 10
        let report = ReportAnalyzer.analyze(input)
        #expect(report.kpis.first { $0.kpi.id == "lead" }?.guardrails.first?.state == .warning)
        #expect(report.kpis.first { $0.kpi.id == "lead" }?.verdict == .improving, "a warning is not a breach")
        let english = try renderer.teamReport(report, locale: "en")
        #expect(english.contains("Change failure rate 11% (was 11%; ceiling 15%) ▄▄▄▄▄▄: **near its ceiling** (warning at 10%)"))
        let chinese = try renderer.teamReport(report, locale: "zh-Hant")
        #expect(chinese.contains("Change failure rate 11%（上期 11%；上限 15%） ▄▄▄▄▄▄：**接近上限**（警戒 10%）"))
    }
}
