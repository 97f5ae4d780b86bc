import Foundation
import NarrateModel

/// Personal tokens, kept as hashes.
public protocol TokenStore: Sendable {
    @discardableResult func add(_ token: AccessToken) async throws -> AccessToken
    /// The token with this hash, whatever its state (the caller decides what revoked or expired means).
    func token(hash: String) async throws -> AccessToken?
    /// All tokens, or one person's, newest first.
    func tokens(of person: String?) async throws -> [AccessToken]
    /// Revokes a person's valid tokens (or only the one with `id`); returns how many.
    @discardableResult func revokeTokens(of person: String, id: Int64?, at: Date) async throws -> Int
    /// Notes a use, for `narrate token list`.
    func touch(_ id: Int64, at: Date) async throws
}
