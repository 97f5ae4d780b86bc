/// A problem the user can fix, or one narrate ran into, with a category that decides how it is
/// answered: the CLI maps it to an exit status, a server to an HTTP status.
///
/// The message is shown as it is, on one line where possible; it never carries a secret (every
/// string that leaves the process passes through the ``Redactor`` as well).
public struct NarrateError: Error, Sendable, CustomStringConvertible, Equatable {
    public enum Category: String, Sendable, CaseIterable {
        /// Bad input: a malformed value, text, id or time.
        case invalidInput = "invalid-input"
        /// An id that names nothing: a person, team, KPI, entry, target.
        case notFound = "not-found"
        /// The request contradicts the current state: closing a closed blocker, a newer store.
        case conflict
        /// The caller did not say who they are, or proved it wrongly: no token, a revoked or
        /// expired one, a bad signature.
        case unauthenticated
        /// The caller may not do this.
        case forbidden
        /// A request larger than the service accepts.
        case tooLarge = "too-large"
        /// More requests than the service accepts in a minute.
        case tooManyRequests = "too-many-requests"
        /// Something outside narrate is missing or failing: a file, the store, a secret.
        case unavailable
        /// A defect in narrate itself.
        case `internal`

        /// The status a server answers with.
        public var httpStatus: Int {
            switch self {
            case .invalidInput: 400
            case .notFound: 404
            case .conflict: 409
            case .unauthenticated: 401
            case .forbidden: 403
            case .tooLarge: 413
            case .tooManyRequests: 429
            case .unavailable: 503
            case .internal: 500
            }
        }
    }

    public let category: Category
    public let message: String

    public init(_ category: Category, _ message: String) {
        self.category = category
        self.message = message
    }

    public var description: String { message }
}

/// Any error narrate raises knows its category; foreign errors count as internal.
public protocol CategorizedError: Error {
    var category: NarrateError.Category { get }
}

extension NarrateError: CategorizedError {}

extension NarrateError.Category {
    /// The category of any error.
    public init(of error: any Error) {
        self = (error as? any CategorizedError)?.category ?? .internal
    }
}
