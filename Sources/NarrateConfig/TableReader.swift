import NarrateModel
import NarrateTOML
import NarrateTargets
/// Reads typed keys out of one TOML table, reporting wrong types, missing keys and
/// unknown keys (typos) against the key path, so every problem lands on its line.
final class TableReader {
    let table: TOMLTable
    let path: String
    private let sink: DiagnosticSink
    private var known: [String] = []

    init(_ table: TOMLTable, path: String, sink: DiagnosticSink) {
        self.table = table
        self.path = path
        self.sink = sink
    }

    func keyPath(_ key: String) -> String { path.isEmpty ? key : "\(path).\(key)" }

    func error(_ key: String?, _ message: String) {
        sink.add(.error, key.map(keyPath) ?? path, message)
    }

    func warning(_ key: String?, _ message: String) {
        sink.add(.warning, key.map(keyPath) ?? path, message)
    }

    private func value(_ key: String, required: Bool) -> TOMLValue? {
        known.append(key)
        guard let value = table[key] else {
            if required { sink.add(.error, path, "missing required key \"\(key)\"") }
            return nil
        }
        return value
    }

    private func wrongType(_ key: String, _ expected: String, _ value: TOMLValue) {
        error(key, "must be \(expected), found \(Self.describe(value.type))")
    }

    static func describe(_ type: TOMLType) -> String {
        switch type {
        case .table: "a table"
        case .array: "an array"
        case .string: "a string"
        case .int: "an integer"
        case .double: "a number"
        case .bool: "a boolean"
        case .date: "a date"
        case .time: "a time"
        case .dateTime: "a date-time"
        }
    }

    func string(_ key: String, required: Bool = false) -> String? {
        guard let value = value(key, required: required) else { return nil }
        guard let string = value.string else {
            wrongType(key, "a string", value)
            return nil
        }
        if Self.isBlank(string) {
            error(key, "must not be empty")
            return nil
        }
        return string
    }

    /// Nothing but spaces and tabs (CharacterSet.whitespaces, without Foundation's bridge). An
    /// ASCII first byte that is neither answers it without Unicode's tables.
    static func isBlank(_ string: String) -> Bool {
        if let first = string.utf8.first, first < 0x80, first != UInt8(ascii: " "), first != UInt8(ascii: "\t") { return false }
        return string.unicodeScalars.allSatisfy { $0 == "\t" || $0.properties.generalCategory == .spaceSeparator }
    }

    func strings(_ key: String, required: Bool = false) -> [String]? {
        guard let value = value(key, required: required) else { return nil }
        guard let array = value.array else {
            wrongType(key, "an array of strings", value)
            return nil
        }
        var result: [String] = []
        for (index, element) in array.enumerated() {
            if let string = element.string {
                result.append(string)
            } else {
                sink.add(.error, "\(keyPath(key))[\(index)]", "must be a string, found \(Self.describe(element.type))")
            }
        }
        return result
    }

    /// A number; with `bounded`, one within ``MetricBounds/range``.
    func number(_ key: String, required: Bool = false, bounded: Bool = false) -> Double? {
        guard let value = value(key, required: required) else { return nil }
        let number: Double
        if let int = value.int {
            number = Double(int)
        } else if let double = value.double, double.isFinite {
            number = double
        } else {
            wrongType(key, "a number", value)
            return nil
        }
        if bounded, let problem = MetricBounds.problem(number) {
            error(key, problem)
            return nil
        }
        return number
    }

    func integer(_ key: String, range: ClosedRange<Int>? = nil) -> Int? {
        guard let value = value(key, required: false) else { return nil }
        guard let int = value.int else {
            wrongType(key, "an integer", value)
            return nil
        }
        if let range, !range.contains(int) {
            error(key, "must be between \(range.lowerBound) and \(range.upperBound), found \(int)")
            return nil
        }
        return int
    }

    func bool(_ key: String) -> Bool? {
        guard let value = value(key, required: false) else { return nil }
        guard let bool = value.bool else {
            wrongType(key, "true or false", value)
            return nil
        }
        return bool
    }

    func choice<Choice: RawRepresentable & CaseIterable>(
        _ key: String, _ type: Choice.Type, required: Bool = false
    ) -> Choice? where Choice.RawValue == String {
        guard let text = string(key, required: required) else { return nil }
        if let choice = Choice(rawValue: text) { return choice }
        let allowed = Choice.allCases.map(\.rawValue)
        let hint = Suggestion.closest(to: text, in: allowed).map { " (did you mean \"\($0)\"?)" } ?? ""
        error(key, "\"\(text)\" is not one of \(allowed.joined(separator: ", "))\(hint)")
        return nil
    }

    /// Every duration key takes a number of seconds (`90`) or a duration string (`"30s"`,
    /// `"5m"`, `"2h"`, `"1d"`, `"1w"`), the same for every key.
    func duration(_ key: String, range: ClosedRange<Int>? = nil) -> Int? {
        guard let seconds = durationSeconds(key) else { return nil }
        guard let range else { return Int(seconds.rounded(.up)) }
        guard seconds >= Double(range.lowerBound), seconds <= Double(range.upperBound) else {
            error(key, "must be between \(DurationText.text(range.lowerBound)) and \(DurationText.text(range.upperBound)), found \(DurationText.text(Int(seconds.rounded(.up))))")
            return nil
        }
        return Int(seconds.rounded(.up))
    }

    /// Ten years, in seconds.
    static let longestDuration: Double = 10 * 365 * 86_400

    /// A duration in seconds, fractions kept (a target's `timeout = 2.5`).
    func durationSeconds(_ key: String) -> Double? {
        guard let value = value(key, required: false) else { return nil }
        let seconds: Double
        if let number = value.int.map(Double.init) ?? value.double.flatMap({ $0.isFinite ? $0 : nil }) {
            guard number >= 0 else {
                error(key, "must not be negative, found \(MetricBounds.text(number))")
                return nil
            }
            seconds = number
        } else if let text = value.string {
            guard let parsed = DurationText.seconds(text) else {
                error(key, "\"\(text)\" is not a duration; write e.g. \"30s\", \"90m\", \"2h\", \"5d\" or \"1w\"")
                return nil
            }
            seconds = Double(parsed)
        } else {
            wrongType(key, "a number of seconds or a duration such as \"30s\", \"5m\" or \"2h\"", value)
            return nil
        }
        // Beyond any duration a schedule or a target can use, and past what an Int holds.
        guard seconds <= Self.longestDuration else {
            error(key, "must be at most \(DurationText.text(Int(Self.longestDuration))), found \(MetricBounds.text(seconds)) seconds")
            return nil
        }
        return seconds
    }

    func timeZone(_ key: String) -> String? {
        guard let text = string(key) else { return nil }
        guard TimeZoneCheck.isValid(text) else {
            error(key, "\"\(text)\" is not an IANA time zone (e.g. \"Asia/Taipei\", \"Europe/Berlin\", \"UTC\")")
            return nil
        }
        return text
    }

    /// A secret given as `key`, `key_env` or `key_file`; a plain value is allowed but warned about.
    func secret(_ key: String, required: Bool = false) -> Secret? {
        var found: [(String, Secret)] = []
        if let plain = string(key) { found.append((key, .plain(plain))) }
        if let name = string("\(key)_env") { found.append(("\(key)_env", .environment(name))) }
        if let file = string("\(key)_file") { found.append(("\(key)_file", .file(file))) }
        if found.count > 1 {
            error(found[1].0, "give only one of \(key), \(key)_env and \(key)_file")
        }
        guard let (foundKey, secret) = found.first else {
            if required { sink.add(.error, path, "missing required key \"\(key)\" (or \(key)_env / \(key)_file)") }
            return nil
        }
        if case .plain = secret {
            warning(foundKey, "secret written in plain text in the config; use \(key)_env or \(key)_file (e.g. a systemd credential)")
        }
        sink.secrets.append(SecretSource(keyPath: keyPath(foundKey), secret: secret, isURL: key == "url"))
        return secret
    }

    /// Marks keys as read without reading them (handled elsewhere).
    func allow(_ keys: [String]) { known.append(contentsOf: keys) }

    /// Reports every key that was never asked for.
    func finish() {
        for (key, _) in table where !known.contains(key) {
            let hint = Suggestion.closest(to: key, in: known).map { " (did you mean \"\($0)\"?)" } ?? ""
            error(key, "unknown key \"\(key)\"\(hint)")
        }
    }
}

/// Collects diagnostics for one file and finds their lines.
final class DiagnosticSink {
    let file: String
    /// Built on first use, by parsing again with lines: a config without problems never needs a line number.
    private let text: String
    lazy var map = ConfigSourceMap(text: text)
    private(set) var diagnostics: [Diagnostic] = []
    /// Every secret the file names, with where.
    var secrets: [SecretSource] = []

    init(file: String, text: String) {
        self.file = file
        self.text = text
    }

    func add(_ severity: Diagnostic.Severity, _ keyPath: String, _ message: String) {
        let line = map.line(of: keyPath) ?? 1
        diagnostics.append(Diagnostic(file: file, line: line, severity: severity, keyPath: keyPath, message: message))
    }

    func add(_ diagnostic: Diagnostic) { diagnostics.append(diagnostic) }
}
