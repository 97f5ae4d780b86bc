import NarrateModel
import NarrateTOML
import NarrateTargets
/// One problem found in a config file, printed as `FILE:LINE: error|warning: message`.
public struct Diagnostic: Sendable, Equatable, CustomStringConvertible, Codable {
    public enum Severity: String, Sendable, Codable { case error, warning }

    public var file: String
    public var line: Int
    public var severity: Severity
    /// Key path such as `team[0].members[1]`; empty for file-level problems.
    public var keyPath: String
    public var message: String

    public init(file: String, line: Int, severity: Severity, keyPath: String, message: String) {
        self.file = file
        self.line = line
        self.severity = severity
        self.keyPath = keyPath
        self.message = message
    }

    public var description: String {
        let subject = keyPath.isEmpty ? "" : "\(keyPath): "
        return "\(file):\(line): \(severity.rawValue): \(subject)\(message)"
    }
}

/// The diagnostics of one config file; errors make the config unusable.
public struct ConfigError: Error, Sendable, CustomStringConvertible {
    public var diagnostics: [Diagnostic]

    public init(diagnostics: [Diagnostic]) {
        self.diagnostics = diagnostics
    }

    public var description: String {
        diagnostics.map(\.description).joined(separator: "\n")
    }
}

extension ConfigError: CategorizedError {
    public var category: NarrateError.Category { .invalidInput }
}
