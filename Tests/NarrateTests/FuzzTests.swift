import Foundation
import PropertyBased
import Testing
import Foundation
@testable import NarrateApp
@testable import NarrateModel
@testable import NarrateTOML
@testable import NarrateConfig
@testable import NarrateReport
@testable import NarrateTargets
@testable import NarratePlatform

/// Random input through the parts that take text from people and files: none of it may crash
/// narrate. Each property runs a few hundred cases; a failure prints its seed for replaying.
@Suite struct FuzzTests {
    /// Pieces a config value, a number or a time may be made of, odd ones included.
    static let tokens = [
        "0", "1", "-1", "24", "1e19", "-1e308", "1e308", "nan", "inf", "0.5", "\"x\"", "\"\"", "[", "]", "{", "}", "=", "\n", "#",
        "\"up\"", "\"higher\"", "\"0 17 * * FRI\"", "\"* * * * *\"", "\"61 * * * *\"", "\"FRY\"", "\"@weekly\"", "true", "[[team]]",
        "[[kpi]]", "[[target]]", "\"Asia/Taipei\"", "\"Mars/Base\"", "\"0001-01-01\"", "\"9999-12-31\"", "\"2026-11-20\"", "漢字",
        "😀", "\u{202E}", "\"\u{0}\"", "\"a b\"", "\"htp://x\"", "\"https://example.org/h\"", "id", "team", "members", "kind",
        "[", "[[", "[=]", "[.a]", "[#x]", "[漢]", "[]", "[ a b ]", "[a.]", "\"\"\"", "x = [", "x = {a = [",
    ]

    /// The example config with some of its lines replaced by random tokens.
    static let mutatedConfig = Gen.int(in: 0...10_000).array(of: 1...8).map { picks -> String in
        var lines = ExampleConfig.text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        for pick in picks {
            let line = pick % lines.count
            let token = tokens[(pick / lines.count) % tokens.count]
            if let equals = lines[line].firstIndex(of: "="), pick % 3 != 0 {
                lines[line] = String(lines[line][...equals]) + " " + token
            } else if pick % 5 == 0 {
                lines.remove(at: line)
            } else {
                lines[line] = token
            }
        }
        return lines.joined(separator: "\n")
    }

    @Test func configLoadingNeverCrashes() async {
        await propertyCheck(count: 300, input: Self.mutatedConfig) { text in
            let (config, diagnostics) = Config.parse(text: text, file: "fuzz.toml")
            let errors = diagnostics.filter { $0.severity == .error }
            #expect(errors.allSatisfy { $0.line >= 1 })
            // A config that passes check renders a report without crashing.
            if errors.isEmpty, let config, let team = config.teams.first {
                let period = Period.containing(Date(timeIntervalSince1970: 1_795_000_000), kind: .week, in: config.zone(of: team))
                let input = ReportInput(
                    team: team, members: team.members.compactMap(config.person), kpis: config.kpis, period: period,
                    now: period.end, entries: [], absences: [], moods: [],
                    readings: config.kpis.map { MetricReading(kpi: $0.id, value: $0.target ?? 1, at: period.start) })
                #expect(throws: Never.self) { _ = try ReportRenderer().teamReport(ReportAnalyzer.analyze(input), locale: config.locale) }
            }
        }
    }

    static let anyDouble = Gen.int(in: 0...7).map { kind -> Double in
        [Double.greatestFiniteMagnitude, -1e308, 1e19, -1e19, 1e12, 0.000_001, -0.0, 123.456][kind]
    }

    @Test func metricValuesNeverCrashAReport() async throws {
        let renderer = try ReportRenderer()
        await propertyCheck(count: 200, input: Gen.double(in: -1e15...1e15), Self.anyDouble) { value, extreme in
            // Bounds say yes or no, never trap.
            _ = MetricBounds.problem(value)
            _ = MetricBounds.problem(extreme)
            var input = ReportFixture.input
            input.readings = input.readings.enumerated().map { index, reading in
                var reading = reading
                reading.value = index % 2 == 0 ? value : extreme
                return reading
            }
            for locale in Config.locales {
                #expect(throws: Never.self) { _ = try renderer.teamReport(ReportAnalyzer.analyze(input), locale: locale) }
            }
        }
    }

    static let timePieces = [
        "2026", "-", "11", "20", "T", ":", "09", "30", "+08:00", "Z", " ", "0001", "9999", "yesterday", "today", "mon", "fri",
        "17:00", "-2d", "-30m", "now", "99", "00", ".", "999999999999", "monday", "+", "24", "60",
    ]

    @Test func typedTimesNeverCrash() async {
        let text = Gen.int(in: 0..<Self.timePieces.count).array(of: 1...6).map { $0.map { Self.timePieces[$0] }.joined() }
        await propertyCheck(count: 500, input: text) { text in
            let zone = TimeZone(identifier: "Asia/Taipei")!
            if let date = try? TimeText.parse(text, zone: zone, now: Date(timeIntervalSince1970: 1_795_000_000)) {
                #expect(LocalDate.years.contains(LocalDate(date, in: zone).year), "\(text)")
            }
            _ = try? LocalDate(parsing: text)
        }
    }

    static let markdownPieces = [
        "# ", "## ", "- ", "* ", "1. ", "**", "_", "`", "```\n", "[a](https://x.org)", "<b>", "&amp;", "&", "<", ">", "|", "---",
        "\n", "\n\n", "word ", "漢字", "😀", "👩‍💻", "e\u{301}", "\\", "@here ", "<!channel>", "> ", "| a | b |\n|---|---|\n", "    ",
    ]

    @Test func formattingAnyMarkdownFitsEveryDialect() async {
        let markdown = Gen.int(in: 0..<Self.markdownPieces.count).array(of: 0...80).map { $0.map { Self.markdownPieces[$0] }.joined() }
        // From the smallest limit a target may set (100) up.
        await propertyCheck(count: 150, input: markdown, Gen.int(in: 100...600)) { text, limit in
            for dialect in Dialect.allCases {
                let formatter = MessageFormatter(dialect: dialect, limit: limit)
                let parts = formatter.parts(text)
                #expect(parts.allSatisfy { dialect.measure($0) <= formatter.limit }, "\(dialect) \(limit): \(text.debugDescription)")
            }
        }
    }
}

/// Request bodies carry any text through JSON unchanged: control characters, quotes, slashes
/// (left unescaped), line separators and astral characters.
@Suite struct RequestBodyTests {
    static let pieces = ["a", "\"", "\\", "/", "\n", "\r", "\t", "\u{1}", "\u{1F}", "\u{7F}", "é", "漢", "😀", "\u{2028}", "<b>", " ", "&", "\u{8}", "\u{C}"]

    @Test func textSurvivesTheRoundTrip() async {
        let text = Gen.int(in: 0..<Self.pieces.count).array(of: 0...20).map { $0.map { Self.pieces[$0] }.joined() }
        await propertyCheck(count: 300, input: text, Gen.int(in: -1_000_000...1_000_000)) { text, number in
            let payload = WebhookTarget.Payload(
                team: text, schedule: number % 2 == 0 ? nil : text, period: ["start": text, "end": "x"],
                report: Int64(number) * 1_000_000, part: number, parts: 3, markdown: text)
            let data = WebhookTarget().json(payload)
            let decoded = try! JSONSerialization.jsonObject(with: data) as! [String: Any]
            #expect(decoded["markdown"] as? String == text && decoded["team"] as? String == text)
            #expect((decoded["period"] as? [String: String])?["start"] == text)
            #expect(decoded["report"] as? Int64 == Int64(number) * 1_000_000 && decoded["part"] as? Int == number)
            // A report made by hand has no schedule: the key is there, null.
            if number % 2 == 0 { #expect(decoded["schedule"] is NSNull) } else { #expect(decoded["schedule"] as? String == text) }
            let json = String(decoding: data, as: UTF8.self)
            // Slashes are not escaped (an escaped backslash before one is not an escaped slash).
            #expect(!json.replacingOccurrences(of: "\\\\", with: "").contains("\\/"), "\(json)")
            #expect(json.hasPrefix("{\"markdown\":"), "keys are sorted: \(json.prefix(20))")
        }
    }
}
