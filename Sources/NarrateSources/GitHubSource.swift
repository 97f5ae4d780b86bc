import Foundation
import NarrateModel
import NarrateReport
import NarrateStore

/// GitHub (or GitHub Enterprise by `base_url`) over its REST API: pull requests merged in the
/// period (progress, to their author), reviews given on them (helped, to the reviewer) and
/// issues closed (progress, to their assignees, else their author). People are matched by their
/// `github` login.
///
/// Pages follow the `Link` header; every page is asked for with its ETag, and a 304 reads the
/// kept copy (GitHub does not count it against the rate limit). When the limit runs out (403 or
/// 429 with `x-ratelimit-remaining: 0`) it stops and says until when, keeping what it has.
public struct GitHubSource: ActivitySource {
    public let id: String
    public let baseURL: String
    public let token: String
    public let repos: [String]
    public let fetch: Fetch
    public let cache: any ResponseCache
    public let timeout: TimeInterval

    public init(id: String, baseURL: String, token: String, repos: [String], fetch: @escaping Fetch, cache: any ResponseCache, timeout: TimeInterval) {
        self.id = id
        self.baseURL = baseURL
        self.token = token
        self.repos = repos
        self.fetch = fetch
        self.cache = cache
        self.timeout = timeout
    }

    struct Stop: Error, CustomStringConvertible {
        var description: String
    }

    public func collect(_ request: CollectRequest) async -> Collected {
        var collected = Collected()
        var logins: [String: String] = [:]
        for person in request.people { if let login = person.github { logins[login.lowercased()] = person.id } }
        guard !logins.isEmpty else { return collected }
        let iso = ISO8601DateFormatter()
        func date(_ value: Any?) -> Date? { (value as? String).flatMap(iso.date(from:)) }
        func inPeriod(_ value: Date?) -> Bool { value.map { $0 >= request.start && $0 < request.end } ?? false }
        func add(_ login: String?, _ kind: Entry.Kind, _ text: String, _ at: Date, url: String, key: String) {
            guard let login, let person = logins[login.lowercased()] else { return }
            var entry = Entry(person: person, kind: kind, text: text, at: at)
            entry.origin = id
            entry.url = url
            collected.entries.append(SourcedEntry(entry: entry, key: key))
        }
        do {
            for repo in repos {
                // Closed pull requests, most recently updated first, until they predate the period.
                let pulls = try await pages("/repos/\(repo)/pulls?state=closed&sort=updated&direction=desc&per_page=100", request) { page in
                    (page.last.flatMap { date($0["updated_at"]) }).map { $0 < request.start } ?? true
                }
                for pull in pulls {
                    let number = pull["number"] as? Int ?? 0
                    let title = pull["title"] as? String ?? ""
                    let url = pull["html_url"] as? String ?? "\(repo)#\(number)"
                    let author = (pull["user"] as? [String: Any])?["login"] as? String
                    if let merged = date(pull["merged_at"]), inPeriod(merged) {
                        add(author, .progress, "Merged \(repo)#\(number): \(title)", merged, url: url, key: "github:pr:\(url)")
                    }
                    guard let updated = date(pull["updated_at"]), updated >= request.start else { continue }
                    for review in try await pages("/repos/\(repo)/pulls/\(number)/reviews?per_page=100", request, until: { _ in false }) {
                        let reviewer = (review["user"] as? [String: Any])?["login"] as? String
                        guard let submitted = date(review["submitted_at"]), inPeriod(submitted),
                            reviewer?.lowercased() != author?.lowercased()
                        else { continue }
                        add(reviewer, .helped, "Reviewed \(repo)#\(number): \(title)", submitted, url: url,
                            key: "github:review:\(review["id"].map { "\($0)" } ?? url + (reviewer ?? ""))")
                    }
                }
                let since = ISO8601DateFormatter().string(from: request.start)
                for issue in try await pages("/repos/\(repo)/issues?state=closed&since=\(since)&per_page=100", request, until: { _ in false })
                where issue["pull_request"] == nil {
                    guard let closed = date(issue["closed_at"]), inPeriod(closed) else { continue }
                    let number = issue["number"] as? Int ?? 0
                    let url = issue["html_url"] as? String ?? "\(repo)#\(number)"
                    let assignees = (issue["assignees"] as? [[String: Any]] ?? []).compactMap { $0["login"] as? String }
                    for login in assignees.isEmpty ? [(issue["user"] as? [String: Any])?["login"] as? String].compactMap({ $0 }) : assignees {
                        add(login, .progress, "Closed \(repo)#\(number): \(issue["title"] as? String ?? "")", closed, url: url,
                            key: "github:issue:\(url):\(login.lowercased())")
                    }
                }
            }
        } catch let stop as Stop {
            let latest = collected.entries.map(\.entry.at).max().map { "; entries up to \(TimeText.short($0, in: request.zone))" } ?? ""
            collected.problems.append("\(id): \(stop)\(latest)")
        } catch {
            collected.problems.append("\(id): \(error)")
        }
        return collected
    }

    /// Every item of a listing, page after page (`Link: <…>; rel="next"`), until `until` says a
    /// page reached far enough back.
    func pages(_ path: String, _ request: CollectRequest, until: ([[String: Any]]) -> Bool) async throws -> [[String: Any]] {
        var items: [[String: Any]] = []
        var next: String? = baseURL + path
        while let url = next {
            guard Date() < request.deadline else { throw Stop(description: "out of time") }
            let (body, link) = try await get(url, request)
            guard let page = (try? JSONSerialization.jsonObject(with: body)) as? [[String: Any]] else {
                throw Stop(description: "\(url) did not answer with a list")
            }
            items += page
            next = until(page) ? nil : Self.nextLink(link)
        }
        return items
    }

    /// One GET with the kept ETag: a 304 reads the kept body.
    func get(_ url: String, _ request: CollectRequest) async throws -> (Data, String?) {
        var headers = [
            ("Accept", "application/vnd.github+json"), ("Authorization", "Bearer \(token)"), ("X-GitHub-Api-Version", "2022-11-28"),
        ]
        let kept = try await cache.cached(url)
        if let kept { headers.append(("If-None-Match", kept.etag)) }
        let response = try await fetch(HTTPRequest(
            method: "GET", url: url, headers: headers, timeout: max(1, min(timeout, request.deadline.timeIntervalSinceNow))))
        switch response.status {
        case 200:
            if let etag = response.header("etag") { try await cache.keep(url, etag: etag, body: response.body, now: Date()) }
            return (response.body, response.header("link"))
        case 304 where kept != nil:
            return (kept!.body, response.header("link"))
        case 403, 429:
            if response.header("x-ratelimit-remaining") == "0" || response.header("retry-after") != nil {
                let reset = response.header("x-ratelimit-reset").flatMap(Double.init).map(Date.init(timeIntervalSince1970:))
                    ?? response.header("retry-after").flatMap(Double.init).map { Date().addingTimeInterval($0) }
                throw Stop(description: "rate limited" + (reset.map { " until \(TimeText.short($0, in: request.zone))" } ?? ""))
            }
            fallthrough
        default:
            let message = (try? JSONSerialization.jsonObject(with: response.body) as? [String: Any])?["message"] as? String
            throw Stop(description: "HTTP \(response.status)" + (message.map { ": \($0)" } ?? "") + " for \(url.replacingOccurrences(of: baseURL, with: ""))")
        }
    }

    static func nextLink(_ header: String?) -> String? {
        guard let header else { return nil }
        for part in header.split(separator: ",") where part.contains("rel=\"next\"") {
            guard let open = part.firstIndex(of: "<"), let close = part.firstIndex(of: ">") else { continue }
            return String(part[part.index(after: open)..<close])
        }
        return nil
    }
}
