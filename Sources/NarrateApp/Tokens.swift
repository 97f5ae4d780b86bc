import Foundation
import NarrateModel
import NarrateConfig
import NarrateReport
import NarrateTargets
import NarrateStore

/// Personal check-in links and API tokens: created by a manager or admin, shown once, kept
/// only as hashes, checked on every request of the check-in service.
public struct Tokens: Sendable {
    let context: AppContext

    /// A token pair just made: the texts are shown once and never again.
    public struct Issued: Sendable {
        public var person: Person
        public var link: String
        public var linkToken: AccessToken
        public var apiToken: String
        public var api: AccessToken
        /// `public_url/checkin/<token>`, when `[http] public_url` is set.
        public var url: String?
    }

    /// Makes a check-in link and an API token for `person`, valid for `lifetime` seconds (the
    /// config's `token_lifetime` when nil; 0 means until revoked).
    public func create(for person: Person, lifetime: Int? = nil) async throws -> Issued {
        let now = context.clock.now()
        let seconds = lifetime ?? context.config.http?.tokenLifetime ?? HTTPSettings().tokenLifetime
        let expires = seconds.flatMap { $0 > 0 ? now.addingTimeInterval(TimeInterval($0)) : nil }
        let (link, linkRecord) = try await mint(.link, for: person.id, expires: expires)
        let (api, apiRecord) = try await mint(.api, for: person.id, expires: expires)
        context.logger.info("tokens \(linkRecord.id) and \(apiRecord.id) created for \(person.id)")
        let url = context.config.http?.publicURL.map { "\($0)/checkin/\(link)" }
        return Issued(person: person, link: link, linkToken: linkRecord, apiToken: api, api: apiRecord, url: url)
    }

    /// A check-in link for a reminder or follow-up, valid until `until`; nil without `public_url`.
    public func link(for personID: String, until: Date) async throws -> String? {
        guard let base = context.config.http?.publicURL else { return nil }
        return "\(base)/checkin/\(try await mint(.link, for: personID, expires: until).text)"
    }

    /// A new token: its text (shown once) and the record the store keeps (its hash only).
    func mint(_ scope: AccessToken.Scope, for personID: String, expires: Date?) async throws -> (text: String, record: AccessToken) {
        let text = AccessToken.generate(scope)
        let record = try await context.store.add(
            AccessToken(person: personID, scope: scope, hash: AccessToken.hash(of: text), createdAt: context.clock.now(), expiresAt: expires))
        return (text, record)
    }

    public func list(of person: Person?) async throws -> [AccessToken] {
        try await context.store.tokens(of: person?.id)
    }

    /// Revokes all of a person's tokens, or the one with `id`.
    public func revoke(of person: Person, id: Int64? = nil) async throws -> Int {
        let count = try await context.store.revokeTokens(of: person.id, id: id, at: context.clock.now())
        if count == 0, let id {
            throw NarrateError(.notFound, "\(person.id) has no valid token \(id); `narrate token list \(person.id)` shows them")
        }
        return count
    }

    /// The person a token stands for, when it is valid for `scope`. Every failure says the same
    /// thing, so a caller cannot tell a revoked token from one that never existed.
    /// The team page's key for a check-in link: the link's stored hash, which opens the team
    /// page only. It cannot check in (that needs the link itself), it is nothing a database
    /// reader could not read anyway, and it ends with the link (revoked or expired).
    public static func viewKey(forLink token: String) -> String { viewKeyPrefix + AccessToken.hash(of: token) }

    static let viewKeyPrefix = "nrv_"

    /// The person whose valid check-in link `key` stands for.
    public func authenticate(viewKey key: String) async throws -> Person {
        let refused = NarrateError(.unauthenticated, "open this page from your check-in link again (its key is unknown, revoked or expired)")
        guard key.hasPrefix(Self.viewKeyPrefix), key.count < 200 else { throw refused }
        guard let token = try await context.store.token(hash: String(key.dropFirst(Self.viewKeyPrefix.count))), token.scope == .link,
            token.isValid(at: context.clock.now()), let person = context.config.person(token.person)
        else { throw refused }
        return person
    }

    public func authenticate(_ text: String, scope: AccessToken.Scope) async throws -> Person {
        let refused = NarrateError(.unauthenticated, scope == .api
            ? "the bearer token is unknown, revoked or expired; ask for a new one (`narrate token create`)"
            : "this check-in link is unknown, revoked or expired; ask your team lead for a new one")
        guard text.count < 200, !text.isEmpty else { throw refused }
        let now = context.clock.now()
        guard let token = try await context.store.token(hash: AccessToken.hash(of: text)), token.scope == scope,
            token.isValid(at: now), let person = context.config.person(token.person)
        else { throw refused }
        // Once a minute is enough for `token list`, and spares a write per request.
        if token.lastUsedAt.map({ now.timeIntervalSince($0) > 60 }) ?? true { try? await context.store.touch(token.id, at: now) }
        return person
    }
}
