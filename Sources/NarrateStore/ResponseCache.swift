import Foundation

/// Responses kept with their ETag, so a source can ask "has this changed?" and, on 304, read
/// the kept body without spending its rate limit.
public protocol ResponseCache: Sendable {
    func cached(_ url: String) async throws -> (etag: String, body: Data)?
    func keep(_ url: String, etag: String, body: Data, now: Date) async throws
}
