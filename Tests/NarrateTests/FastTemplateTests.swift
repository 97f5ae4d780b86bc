import Foundation
import Mustache
import Testing
@testable import NarrateCore

/// The bundled templates render through ``FastRenderer``; overrides through swift-mustache. The
/// two must write the same text for the same values, byte for byte.
@Suite struct FastTemplateTests {
    /// Every bundled template, in both locales, for reports with and without data.
    @Test(arguments: Config.locales)
    func bundledTemplatesRenderAsSwiftMustacheDoes(locale: String) throws {
        let sources = BundledTemplates.all.filter { $0.key.hasPrefix(locale + "/") }
            .mapValues { TemplateSource(text: $0, file: "(bundled)") }
        var templates: [String: MustacheTemplate] = [:]
        let library = try ReportRenderer.compile(sources) { templates[$0] = $1 }
        let fast = try #require(ReportRenderer.fastRenderer(templates), "a bundled template is not compiled by FastTemplate")

        var empty = ReportFixture.input
        empty.entries = []
        empty.moods = []
        empty.readings = []
        var noted = ReportFixture.report
        noted.sourceNotes = ["git: <repo> not found & skipped"]
        noted.teamPage = "https://narrate.example/teams/core"
        let format = LocaleFormat(locale: locale)
        var values = [ReportFixture.report, ReportAnalyzer.analyze(empty), noted].map { ReportContext(report: $0, format: format).values }
        values += ReportFixture.report.people.map { CardContext(format: format).person($0) }
        values.append(["name": "Alice", "period": "week of 23 Nov", "link": "https://x/checkin/t", "hasLink": true, "slot": "Fri 17:00"])
        values.append(["name": "Bob", "id": "B-3", "text": "waiting on <legal>", "age": "3 days", "owner": "Alice", "hasStage": false])

        var compared = 0
        for name in templates.keys.sorted() {
            for value in values {
                let expected = library.render(value, withTemplate: name)
                let converted = try #require(TemplateValue(value))
                #expect(fast.render(name, converted) == expected, "\(name)")
                compared += 1
            }
        }
        #expect(compared == templates.count * values.count && compared >= 30)
    }

    /// Random templates over random values: whatever FastTemplate compiles renders exactly as
    /// swift-mustache renders it (standalone lines, nulls, loops, first()/last() in nested
    /// sections, partials with indentation, HTML escaping before a content-type pragma).
    @Test func randomTemplatesRenderAsSwiftMustacheDoes() throws {
        var random = SeededRandom(seed: 23)
        var compiled = 0
        for round in 0..<1_500 {
            let text = Self.template(&random, depth: 0)
            let partial = Self.template(&random, depth: 2)
            guard let template = try? MustacheTemplate(string: text), let partialTemplate = try? MustacheTemplate(string: partial)
            else { continue }
            var library = MustacheLibrary()
            library.register(template, named: "t")
            library.register(partialTemplate, named: "p")
            guard let fast = ReportRenderer.fastRenderer(["t": template, "p": partialTemplate]) else { continue }
            compiled += 1
            let value = Self.object(&random, depth: 0)
            let converted = try #require(TemplateValue(value))
            let expected = library.render(value, withTemplate: "t")
            #expect(fast.render("t", converted) == expected, "round \(round): \(text.debugDescription) with \(value)")
        }
        #expect(compiled > 1_000, "only \(compiled) of 1,500 random templates compiled")
    }

    static let keys = ["a", "b", "c", "d"]

    static func template(_ random: inout SeededRandom, depth: Int) -> String {
        var text = ""
        for _ in 0..<Int.random(in: 1...6, using: &random) {
            let key = keys.randomElement(using: &random)!
            switch Int.random(in: 0..<14, using: &random) {
            case 0: text += ["x", " y ", "<&>", "\n", "  ", "\t", "z\n"].randomElement(using: &random)!
            case 1: text += "{{\(key)}}"
            case 2: text += "{{&\(key)}}"
            case 3: text += "{{.}}"
            case 4: text += "{{\(key).\(keys.randomElement(using: &random)!)}}"
            case 5, 6:
                let open = Bool.random(using: &random) ? "#" : "^"
                let inner = depth < 3 ? template(&random, depth: depth + 1) : "i"
                let newline = Bool.random(using: &random) ? "\n" : ""
                text += "\(newline){{\(open)\(key)}}\(newline)\(inner)\(newline){{/\(key)}}\(newline)"
            case 7:
                let which = Bool.random(using: &random) ? "first()" : "last()"
                let open = Bool.random(using: &random) ? "#" : "^"
                text += "{{\(open)\(which)}}, {{/\(which)}}"
            case 8 where depth < 2: text += Bool.random(using: &random) ? "{{> p}}" : "\n  {{> p}}\n"
            case 9: text += "\n{{! note }}\n"
            case 10 where depth == 0: text += "{{% CONTENT_TYPE: TEXT }}\n"
            case 11: text += "  {{#\(key)}}\n  - {{\(key)}}\n  {{/\(key)}}\n"
            case 12: text += "{{.\(key)}}"
            default: text += "w"
            }
        }
        return text
    }

    static func object(_ random: inout SeededRandom, depth: Int) -> [String: Any] {
        var result: [String: Any] = [:]
        for key in keys where Int.random(in: 0..<5, using: &random) > 0 {
            switch Int.random(in: 0..<8, using: &random) {
            case 0: result[key] = ["", "text", "<b> & 'q'", "line\nbreak"].randomElement(using: &random)!
            case 1: result[key] = Bool.random(using: &random)
            case 2: result[key] = Int.random(in: -3...30, using: &random)
            case 3: result[key] = Optional<[String: Any]>.none as Any
            case 4: result[key] = Optional<String>.some("some") as Any
            case 5 where depth < 2:
                result[key] = (0..<Int.random(in: 0...3, using: &random)).map { _ in object(&random, depth: depth + 1) }
            case 6 where depth < 2: result[key] = object(&random, depth: depth + 1)
            default: result[key] = 2.5
            }
        }
        return result
    }
}
