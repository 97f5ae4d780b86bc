import Foundation

/// An HTTP request as a value: built by a descriptor, sent by an `HTTPTransport`.
public struct HTTPRequest: Sendable {
    public var method: String
    public var url: String
    public var headers: [(String, String)]
    public var body: Data
    public var timeout: TimeInterval
    public var connectTimeout: TimeInterval
    public var caFile: String?
    /// Connect to this Unix socket instead of the URL's host (the daemon's local socket).
    public var unixSocket: String?
    /// Set for mail: the URL is `smtp://` or `smtps://`, the body is the whole message, and the
    /// response's status is the server's last SMTP reply code.
    public var smtp: SMTPEnvelope?

    public init(
        method: String = "POST", url: String, headers: [(String, String)] = [], body: Data = Data(),
        timeout: TimeInterval = 30, connectTimeout: TimeInterval = 10, caFile: String? = nil, unixSocket: String? = nil
    ) {
        self.unixSocket = unixSocket
        self.method = method
        self.url = url
        self.headers = headers
        self.body = body
        self.timeout = timeout
        self.connectTimeout = connectTimeout
        self.caFile = caFile
    }
}

/// An HTTP response as a value.
public struct HTTPResponse: Sendable {
    public var status: Int
    /// Header names in lower case, in the order received.
    public var headers: [(String, String)]
    public var body: Data

    public init(status: Int, headers: [(String, String)] = [], body: Data = Data()) {
        self.status = status
        self.headers = headers
        self.body = body
    }

    public func header(_ name: String) -> String? {
        let lower = name.lowercased()
        return headers.last { $0.0 == lower }?.1
    }

    public var text: String { String(decoding: body, as: UTF8.self) }

    package var jsonObject: [String: Any]? {
        (try? JSONSerialization.jsonObject(with: body)) as? [String: Any]
    }
}

/// Who a message is from and to, and how to log in, for an SMTP "request".
public struct SMTPEnvelope: Sendable, Equatable {
    public var from: String
    public var recipients: [String]
    public var username: String?
    public var password: String?
    /// `smtp://` must upgrade with STARTTLS (or fail); off only for a loopback relay.
    public var requireTLS: Bool

    public init(from: String, recipients: [String], username: String? = nil, password: String? = nil, requireTLS: Bool = true) {
        self.from = from
        self.recipients = recipients
        self.username = username
        self.password = password
        self.requireTLS = requireTLS
    }
}
