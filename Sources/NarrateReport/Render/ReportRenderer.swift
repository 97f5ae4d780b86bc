import NarrateModel
import Foundation
import Mustache
import Synchronization

/// Renders reports through Mustache templates: the bundled ones, overridden by name by any
/// file in the config's `templates_dir` (`<dir>/en/team-report.mustache`).
public struct ReportRenderer: Sendable {
    public static let templateNames = ["team-report", "person-card", "manager-digest", "reminder", "follow-up", "escalation"]
    /// Every template's name (`en/team-report`), as overrides are looked up.
    public static var names: [String] { reportTemplates.keys.sorted() }

    /// The report templates (the pages' are ``PageRenderer``'s).
    static var reportTemplates: [String: String] { BundledTemplates.all.filter { !$0.key.hasPrefix("pages/") } }

    /// The compiled templates: all of them when the config overrides any (an override may use
    /// a partial of another locale), else each bundled one when it is first rendered (a command
    /// that renders one report compiled all twelve).
    private let libraries: Libraries

    /// Compiles the bundled templates, each replaced by the override of the same name
    /// (`en/team-report`) when there is one. Throws ``TemplateError`` for the first template
    /// that does not parse. Compile once per process (and again on reload), not per report.
    public init(overrides: [String: TemplateSource] = [:]) throws {
        if overrides.isEmpty {
            libraries = Libraries(all: nil)
            return
        }
        var sources = Self.reportTemplates.mapValues { TemplateSource(text: $0, file: "(bundled)") }
        for (name, source) in overrides where sources[name] != nil { sources[name] = source }
        libraries = Libraries(all: try Self.compile(sources))
    }

    /// The templates of `sources`, in one library.
    static func compile(_ sources: [String: TemplateSource], into library: MustacheLibrary = MustacheLibrary()) throws -> MustacheLibrary {
        var library = library
        for (name, source) in sources.sorted(by: { $0.key < $1.key }) {
            do {
                let template = try MustacheTemplate(string: source.text)
                library.register(template, named: name)
            } catch let error as MustacheTemplate.ParserError {
                throw TemplateError(
                    name: name, file: source.file, line: error.context.lineNumber, column: error.context.columnNumber,
                    message: "\(error.error)")
            }
        }
        return library
    }

    /// The library that has `name` (`en/team-report`) and the partials it uses.
    func library(for name: String) throws -> MustacheLibrary {
        if let all = libraries.all { return all }
        return try libraries.compiled.withLock { library in
            try Self.add(name, to: &library)
            return library
        }
    }

    /// Compiles the bundled template `name` and, in turn, the partials it names, unless the
    /// library has them. Only what a command renders is parsed: swift-mustache's parser measures
    /// the rest of the template at every tag, so parsing the six templates of a locale took 12% of
    /// a one-team preview (docs/benchmarks.md).
    static func add(_ name: String, to library: inout MustacheLibrary) throws {
        guard library.getTemplate(named: name) == nil, let text = BundledTemplates.all[name] else { return }
        library = try compile([name: TemplateSource(text: text, file: "(bundled)")], into: library)
        for partial in partials(in: text) { try add(partial, to: &library) }
    }

    /// The names of the partials a template uses (`{{> en/person-card}}`).
    static func partials(in text: String) -> [String] {
        text.components(separatedBy: "{{>").dropFirst().compactMap { rest in
            rest.range(of: "}}").map { rest[..<$0.lowerBound].trimmingCharacters(in: .whitespaces) }
        }
    }

    /// Compiles the templates of `locale` now (they are compiled on first use otherwise).
    public func prepare(locale: String) throws {
        _ = try library(for: "\(locale)/team-report")
    }

    final class Libraries: Sendable {
        let all: MustacheLibrary?
        /// The bundled templates compiled so far.
        let compiled = Mutex(MustacheLibrary())

        init(all: MustacheLibrary?) { self.all = all }
    }

    /// The team report in CommonMark.
    public func teamReport(_ report: Report, locale: String) throws -> String {
        try render("team-report", locale: locale, ReportContext(report: report, format: LocaleFormat(locale: locale)).values)
    }

    /// One person's card, e.g. for a direct message.
    public func personCard(_ narrative: PersonNarrative, locale: String) throws -> String {
        try render("person-card", locale: locale, CardContext(format: LocaleFormat(locale: locale)).person(narrative))
    }

    /// The manager digest of one team: see ``managerDigest(_:manager:locale:)``.
    public func managerDigest(_ report: Report, locale: String) throws -> String {
        try managerDigest([report], manager: nil, locale: locale)
    }

    /// One manager's digest across their teams: a line per team (when several), then per team
    /// the KPIs that need attention, who may need help, mood and load by person, long-open
    /// blockers and who has not reported. `manager` is their name (nil: "the team's manager").
    public func managerDigest(_ reports: [Report], manager: String?, locale: String) throws -> String {
        let format = LocaleFormat(locale: locale)
        let teams = reports.map { report -> [String: Any] in
            let context = ReportContext(report: report, format: format)
            return context.values.merging(context.digestSummary) { $1 }
        }
        let values: [String: Any] = [
            "title": format.list(reports.map { MarkdownText.escape($0.team.name) }),
            "manager": manager.map(MarkdownText.escape) ?? (format.isChinese ? "團隊主管" : "the team's manager"),
            "period": reports.first.map { format.period($0.period) } ?? "",
            "teams": teams, "hasSeveral": reports.count > 1, "h": reports.count > 1 ? "###" : "##",
        ]
        return try render("manager-digest", locale: locale, values)
    }

    /// A message to one person (`reminder`, `follow-up`, `escalation`) from plain values.
    public func notice(_ template: String, locale: String, _ values: [String: Any]) throws -> String {
        try render(template, locale: locale, values)
    }

    func render(_ template: String, locale: String, _ values: [String: Any]) throws -> String {
        let name = "\(locale)/\(template)"
        guard let output = try library(for: name).render(values, withTemplate: name) else {
            throw NarrateError(.notFound, "no template \(name) (locales: \(Config.locales.joined(separator: ", ")))")
        }
        let tidy = Self.tidy(output)
        return locale == "zh-Hant" ? CJKSpacing.apply(tidy) : tidy
    }

    /// At most one blank line in a row, no trailing spaces, one final newline.
    static func tidy(_ text: String) -> String {
        var result: [UInt8] = []
        result.reserveCapacity(text.utf8.count)
        var lastWasBlank = true  // no blank line at the top
        for line in text.utf8.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false) {
            var end = line.endIndex
            while end > line.startIndex && line[line.index(before: end)] == UInt8(ascii: " ") { end = line.index(before: end) }
            let stripped = line[line.startIndex..<end]
            if stripped.isEmpty {
                if lastWasBlank { continue }
                lastWasBlank = true
            } else {
                lastWasBlank = false
            }
            result += stripped
            result.append(UInt8(ascii: "\n"))
        }
        // One final newline: drop the blank lines at the end.
        while result.count >= 2 && result[result.count - 1] == UInt8(ascii: "\n") && result[result.count - 2] == UInt8(ascii: "\n") {
            result.removeLast()
        }
        if result.isEmpty { result.append(UInt8(ascii: "\n")) }
        return String(decoding: result, as: UTF8.self)
    }
}

/// A template's text and where it came from (a path, or "(bundled)"), for error messages.
public struct TemplateSource: Sendable {
    public var text: String
    public var file: String

    public init(text: String, file: String) {
        self.text = text
        self.file = file
    }
}

/// A template that cannot be used; the report is not sent.
public struct TemplateError: CategorizedError, Sendable, CustomStringConvertible {
    public var category: NarrateError.Category { .invalidInput }

    public var name: String
    public var file: String
    public var line: Int
    public var column: Int
    public var message: String

    public init(name: String, file: String, line: Int, column: Int, message: String) {
        self.name = name
        self.file = file
        self.line = line
        self.column = column
        self.message = message
    }

    public var description: String {
        "template \(name) (\(file)):\(line):\(column): \(message); the report was not sent"
    }
}
