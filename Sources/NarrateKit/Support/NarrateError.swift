/// A problem the user can fix: bad input, a missing file, an unknown person.
///
/// The message is shown as it is, on one line where possible; it never carries a secret.
public struct NarrateError: Error, Sendable, CustomStringConvertible, Equatable {
    public let message: String

    public init(_ message: String) {
        self.message = message
    }

    public var description: String { message }
}
