import Foundation
import Hummingbird
import HummingbirdTesting
import Testing
@testable import NarrateApp
@testable import NarrateModel
@testable import NarrateTOML
@testable import NarrateConfig
@testable import NarrateReport
@testable import NarrateTargets
@testable import NarratePlatform
@testable import NarrateHTTP

/// Every Traditional Chinese surface speaks with one glossary and writes full-width punctuation
/// next to Chinese text: the report, the digest, a card, reminders, follow-ups, escalations, the
/// mail subject, the check-in page and the team page.
@Suite struct GlossaryTests {
    /// A half-width colon, comma or bracket beside a Chinese character (a space between allowed).
    static var halfWidth: Regex<AnyRegexOutput> { try! Regex(#"[\p{Han}][ ]?[:,()]|[:,()][ ]?[\p{Han}]"#) }

    /// What a reader sees: no tags, styles, code spans or addresses.
    static func visibleText(_ text: String) -> String {
        var text = text.replacing(try! Regex(#"(?s)<style>.*?</style>"#), with: "")
        text = text.replacing(try! Regex(#"<[^>]+>"#), with: " ")
        text = text.replacing(try! Regex(#"`[^`]*`"#), with: "")
        return text.replacing(try! Regex(#"https?://\S+"#), with: "")
    }

    static func problems(_ name: String, _ text: String) -> [String] {
        let visible = visibleText(text)
        var found = visible.matches(of: halfWidth).map { "\(name): half-width punctuation in \"\(visible[$0.range])\"" }
        for term in Glossary.terms {
            for word in term.avoid where visible.contains(word) {
                found.append("\(name): \"\(word)\" where the glossary says \"\(term.word)\" (\(term.concept))")
            }
        }
        return found
    }

    /// Every zh-Hant message and page, from one world: the fixture week, a manager of two teams,
    /// the example config served in zh-Hant.
    static func surfaces() async throws -> [(String, String)] {
        let renderer = try ReportRenderer()
        var input = ReportFixture.input
        let lead = input.kpis.firstIndex { $0.id == "lead" }!
        input.kpis[lead].objective = "讓小改動在準備好的當天就送到使用者手上"
        input.kpis[lead].by = LocalDate(year: 2027, month: 3, day: 31)
        input.kpis[lead].owner = "eve"
        let report = ReportAnalyzer.analyze(input)
        let team = try renderer.teamReport(report, locale: "zh-Hant")
        var surfaces: [(String, String)] = [
            ("team report", team), ("mail subject", MailMessage.subject(of: team)),
            ("digest", try renderer.managerDigest([report, report], manager: "Erin Wu", locale: "zh-Hant")),
            ("person card", try renderer.personCard(report.people[0], locale: "zh-Hant")),
            ("reminder", try renderer.notice("reminder", locale: "zh-Hant", [
                "team": "平台", "name": "Alice", "when": "11月27日（五）17:00", "again": true, "hasLink": true, "link": "https://example.org/c/x",
            ])),
            ("follow-up", try renderer.notice("follow-up", locale: "zh-Hant", [
                "id": "B-4", "name": "Bob", "age": "6 天", "stage": "中段", "text": "等待法務審核", "hasLink": false, "link": "",
            ])),
            ("escalation", try renderer.notice("escalation", locale: "zh-Hant", [
                "id": "B-4", "owner": "Bob", "age": "6 天", "stage": "中段", "team": "平台", "text": "等待法務審核", "limit": "5 天",
            ])),
        ]
        // The pages, served from the example config in zh-Hant.
        let fixture = try ServiceFixture()
        var config = fixture.app.config
        config.locale = "zh-Hant"
        let app = fixture.app.replacing(config: config, renderer: fixture.app.renderer)
        _ = try await app.checkIns.log(.blocker, text: "等待法務審核", by: app.config.person("alice")!, stage: .middle)
        try await app.store.record([MetricReading(kpi: "lead-time", value: 30, at: app.clock.now().addingTimeInterval(-3_600))])
        let alice = try await app.tokens.create(for: app.config.person("alice")!)
        let server = CheckInServer(current: { app }, rate: 100)
        let pages = try await Application(router: server.router()).test(.router) { client in
            let checkIn = try await client.execute(uri: "/checkin/\(alice.link)", method: .get)
            let teamPage = try await client.execute(uri: "/teams/platform?token=\(alice.link)", method: .get)
            return [("check-in page", checkIn.body.text), ("team page", teamPage.body.text)]
        }
        surfaces += pages
        return surfaces
    }

    @Test func everyChineseSurfaceFollowsTheGlossaryAndItsPunctuation() async throws {
        let surfaces = try await Self.surfaces()
        #expect(surfaces.count == 9)
        for (name, text) in surfaces {
            #expect(text.contains { ("\u{4e00}"..."\u{9fff}").contains(String($0)) }, "\(name) is in Chinese")
            let problems = Self.problems(name, text)
            #expect(problems.isEmpty, "\(problems.joined(separator: "\n"))")
        }
        // The pages use the articles' words for the four parts.
        let page = try #require(surfaces.first { $0.0 == "check-in page" }?.1)
        for word in [Glossary.progress, Glossary.blockers, Glossary.next, Glossary.learned] { #expect(page.contains(word)) }
        #expect(try #require(surfaces.first { $0.0 == "team page" }?.1).contains(">上限 15<"))
    }

    /// The check itself finds what it is for.
    @Test func theCheckFindsHalfWidthPunctuationAndWordsToAvoid() {
        #expect(Self.problems("x", "團隊報告: Platform").count == 1)
        #expect(Self.problems("x", "負荷 (選填)").count == 2, "both brackets")
        #expect(Self.problems("x", "已超過升級期限").count == 1)
        #expect(Self.problems("x", "團隊報告：Platform（選填）, 17:00 at https://a.b/c?d=(e)").isEmpty)
    }
}
