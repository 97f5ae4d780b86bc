import Foundation

/// `[store]`: where narrate keeps its state when it is not the SQLite file in the state
/// directory — a PostgreSQL database, for several instances sharing one store.
public struct StoreSettings: Sendable, Equatable {
    public enum TLSMode: String, Sendable, CaseIterable {
        /// No TLS (a database on the same host or a private network).
        case disable
        /// TLS when the server offers it, without checking its certificate.
        case prefer
        /// TLS, without checking the certificate.
        case require
        /// TLS, with the certificate checked against the system's roots and the host name.
        case verifyFull = "verify-full"
    }

    public var host: String
    public var port: Int
    public var user: String
    public var database: String
    public var tls: TLSMode
    /// The password, never in the URL (which is logged): `password_file`, `password_env`.
    public var password: Secret?
    /// Connections in the pool.
    public var poolSize: Int
    /// The longest a statement may run before the server cancels it, in seconds.
    public var statementTimeout: Int

    public init(
        host: String, port: Int = 5432, user: String, database: String, tls: TLSMode = .prefer, password: Secret? = nil,
        poolSize: Int = 4, statementTimeout: Int = 30
    ) {
        self.host = host
        self.port = port
        self.user = user
        self.database = database
        self.tls = tls
        self.password = password
        self.poolSize = poolSize
        self.statementTimeout = statementTimeout
    }

    /// The URL without a password: what logs and `check` show.
    public var displayURL: String {
        let hostPart = host.hasPrefix("/") ? "" : (host.contains(":") ? "[\(host)]" : host)
        var url = "postgres://\(user)@\(hostPart):\(port)/\(database)"
        if host.hasPrefix("/") { url = "postgres://\(user)@/\(database)?host=\(host)" }
        return url + (host.hasPrefix("/") ? "&" : "?") + "sslmode=\(tls.rawValue)"
    }

    /// Reads `postgres://user@host:port/database?sslmode=…` (or `?host=/socket/dir` for a Unix
    /// socket); the error says what is wrong with it. A password in the URL is refused.
    public init(url text: String) throws(StoreURLError) {
        guard let schemeEnd = text.range(of: "://") else { throw StoreURLError("is not a URL (postgres://USER@HOST/DATABASE)") }
        let scheme = text[..<schemeEnd.lowerBound]
        guard scheme == "postgres" || scheme == "postgresql" else {
            throw StoreURLError("scheme \"\(scheme)\" is not postgres:// (leave [store] out for the SQLite file)")
        }
        var rest = text[schemeEnd.upperBound...]
        var query: [(String, String)] = []
        if let mark = rest.firstIndex(of: "?") {
            for pair in rest[rest.index(after: mark)...].split(separator: "&") {
                let parts = pair.split(separator: "=", maxSplits: 1).map(String.init)
                query.append((parts[0], parts.count > 1 ? (parts[1].removingPercentEncoding ?? parts[1]) : ""))
            }
            rest = rest[..<mark]
        }
        let authority: Substring
        var database = ""
        if let slash = rest.firstIndex(of: "/") {
            authority = rest[..<slash]
            database = String(rest[rest.index(after: slash)...]).removingPercentEncoding ?? ""
        } else {
            authority = rest
        }
        var user = ""
        var hostPort = authority
        if let at = authority.lastIndex(of: "@") {
            let userInfo = authority[..<at]
            if userInfo.contains(":") {
                throw StoreURLError("holds a password; the URL is logged, so give it as password_file or password_env")
            }
            user = userInfo.removingPercentEncoding ?? String(userInfo)
            hostPort = authority[authority.index(after: at)...]
        }
        var host = String(hostPort)
        var port = 5432
        if hostPort.hasPrefix("[") {
            guard let close = hostPort.firstIndex(of: "]") else { throw StoreURLError("has an unclosed [ in its host") }
            host = String(hostPort[hostPort.index(after: hostPort.startIndex)..<close])
            let after = hostPort[hostPort.index(after: close)...]
            if after.hasPrefix(":") {
                guard let number = Int(after.dropFirst()), (1...65_535).contains(number) else {
                    throw StoreURLError("port \"\(after.dropFirst())\" is not a number from 1 to 65535")
                }
                port = number
            }
        } else if let colon = hostPort.lastIndex(of: ":") {
            host = String(hostPort[..<colon])
            let text = hostPort[hostPort.index(after: colon)...]
            guard let number = Int(text), (1...65_535).contains(number) else {
                throw StoreURLError("port \"\(text)\" is not a number from 1 to 65535")
            }
            port = number
        }
        var tls = TLSMode.prefer
        for (key, value) in query {
            switch key {
            case "sslmode":
                guard let mode = TLSMode(rawValue: value) else {
                    throw StoreURLError(
                        "sslmode \"\(value)\" is not one of \(TLSMode.allCases.map(\.rawValue).joined(separator: ", "))")
                }
                tls = mode
            case "host":
                host = value
            case "password":
                throw StoreURLError("holds a password; the URL is logged, so give it as password_file or password_env")
            default:
                throw StoreURLError("has the parameter \"\(key)\", which narrate does not use (sslmode, host)")
            }
        }
        guard !host.isEmpty else { throw StoreURLError("names no host") }
        guard !user.isEmpty else { throw StoreURLError("names no user (postgres://USER@HOST/DATABASE)") }
        guard !database.isEmpty else { throw StoreURLError("names no database (postgres://USER@HOST/DATABASE)") }
        if host.hasPrefix("/") && tls == .verifyFull {
            throw StoreURLError("asks for sslmode=verify-full over a Unix socket, which has no certificate to check")
        }
        self.init(host: host, port: port, user: user, database: database, tls: tls)
    }
}

/// What is wrong with `[store] url`.
public struct StoreURLError: Error, Sendable, CustomStringConvertible {
    public var description: String
    public init(_ description: String) { self.description = description }
}
