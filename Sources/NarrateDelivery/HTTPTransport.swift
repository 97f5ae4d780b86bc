import NarrateModel
import NarrateTargets

/// Sends one HTTP request and returns the response, whatever its status. The courier talks to
/// this protocol: libcurl in production (``CurlTransport``), an in-memory transport in tests.
public protocol HTTPTransport: Sendable {
    func send(_ request: HTTPRequest) async throws -> HTTPResponse
}

/// The request did not get a response: no connection, a timeout, a TLS failure, a bad URL.
public struct TransportError: CategorizedError, Sendable, CustomStringConvertible {
    public var message: String
    public var isTimeout: Bool
    /// The request can never succeed as it is (a malformed URL, an unsupported scheme).
    public var isPermanent: Bool

    public init(message: String, isTimeout: Bool = false, isPermanent: Bool = false) {
        self.message = message
        self.isTimeout = isTimeout
        self.isPermanent = isPermanent
    }

    public var category: NarrateError.Category { isPermanent ? .invalidInput : .unavailable }
    public var description: String { message }
}
