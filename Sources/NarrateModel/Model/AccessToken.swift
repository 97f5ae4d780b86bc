import Crypto
import Foundation

/// A personal token: a check-in link (`link`) or an API bearer token (`api`). Only the SHA-256
/// of the token's text is kept, so a copy of the store does not let anyone check in as anyone.
public struct AccessToken: Sendable, Equatable {
    public enum Scope: String, Sendable, CaseIterable {
        /// The web check-in page, `public_url/checkin/<token>`.
        case link
        /// `Authorization: Bearer <token>` on the JSON API.
        case api
    }

    public var id: Int64
    public var person: String
    public var scope: Scope
    /// Hex SHA-256 of the token text.
    public var hash: String
    public var createdAt: Date
    public var expiresAt: Date?
    public var revokedAt: Date?
    public var lastUsedAt: Date?

    public init(
        id: Int64 = 0, person: String, scope: Scope, hash: String, createdAt: Date, expiresAt: Date? = nil,
        revokedAt: Date? = nil, lastUsedAt: Date? = nil
    ) {
        self.id = id
        self.person = person
        self.scope = scope
        self.hash = hash
        self.createdAt = createdAt
        self.expiresAt = expiresAt
        self.revokedAt = revokedAt
        self.lastUsedAt = lastUsedAt
    }

    /// Neither revoked nor expired at `now`.
    public func isValid(at now: Date) -> Bool {
        revokedAt == nil && (expiresAt.map { now < $0 } ?? true)
    }
}

extension AccessToken {
    /// The hex SHA-256 of a token's text: what the store keeps and looks up.
    public static func hash(of text: String) -> String {
        Hex.string(SHA256.hash(data: Array(text.utf8)))
    }

    /// A new token's text: a scope prefix (so a leaked one is recognisable) and 256 random bits,
    /// base64url.
    public static func generate(_ scope: Scope) -> String {
        var generator = SystemRandomNumberGenerator()
        let bytes = (0..<32).map { _ in UInt8.random(in: 0...255, using: &generator) }
        let base64 = Data(bytes).base64EncodedString()
            .replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_").replacingOccurrences(of: "=", with: "")
        return (scope == .link ? "nrl_" : "nra_") + base64
    }
}
