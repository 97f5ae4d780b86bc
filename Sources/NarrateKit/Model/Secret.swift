import Foundation

/// Where a secret comes from. The value itself is read only when needed and never printed.
public enum Secret: Sendable, Equatable, CustomStringConvertible {
    /// Written into the config file (allowed; `narrate check` warns).
    case plain(String)
    /// The name of an environment variable.
    case environment(String)
    /// A file path; a relative path is looked up in `$CREDENTIALS_DIRECTORY` first.
    case file(String)

    /// Describes the source without revealing the value.
    public var description: String {
        switch self {
        case .plain: "(inline value)"
        case .environment(let name): "$\(name)"
        case .file(let path): path
        }
    }

    /// Reads the value.
    public func resolve(environment: [String: String] = ProcessInfo.processInfo.environment) throws -> String {
        switch self {
        case .plain(let value):
            return value
        case .environment(let name):
            guard let value = environment[name], !value.isEmpty else {
                throw NarrateError("environment variable \(name) is not set")
            }
            return value
        case .file(let path):
            var candidates = [path]
            if !path.hasPrefix("/"), let credentials = environment["CREDENTIALS_DIRECTORY"] {
                candidates.insert(credentials + "/" + path, at: 0)
            }
            for candidate in candidates {
                if let data = FileManager.default.contents(atPath: candidate),
                    let text = String(data: data, encoding: .utf8)
                {
                    return text.trimmingCharacters(in: .whitespacesAndNewlines)
                }
            }
            throw NarrateError("cannot read secret file \(path)")
        }
    }
}
