/// Where a secret comes from. The value is read only when needed (by the delivery module's
/// `SecretResolver`, which also registers it with the ``Redactor``) and never printed.
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
}
