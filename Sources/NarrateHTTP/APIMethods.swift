import HTTPTypes
import Hummingbird

/// Any method but a path's own (TRACE, QUERY, …) is 405 with `Allow`, not 404: the path exists.
/// Checked before routing, from the methods docs/openapi.yaml gives each path.
struct APIMethods: RouterMiddleware {
    typealias Context = ServerContext

    /// The local socket serves the API and `/healthz` only.
    let local: Bool

    init(local: Bool = false) { self.local = local }

    /// Each path's methods; `*` is one path segment (an id, a token).
    static let api: [([Substring], [HTTPRequest.Method])] = [
        (["v1", "entries"], [.get, .post]), (["v1", "entries", "*"], [.patch, .delete]), (["v1", "undo"], [.post]),
        (["v1", "metrics"], [.get, .post]), (["v1", "metrics", "*"], [.delete]), (["v1", "moods"], [.post]), (["v1", "absences"], [.get, .post]),
        (["v1", "absences", "*"], [.delete]), (["healthz"], [.get]),
    ]
    /// The reading commands' routes, on the socket only.
    static let reading: [([Substring], [HTTPRequest.Method])] = [
        (["v1", "history"], [.get]), (["v1", "reports"], [.get]), (["v1", "reports", "*"], [.get]), (["v1", "preview"], [.get]),
        (["v1", "schedules"], [.get]),
    ]
    static let pages: [([Substring], [HTTPRequest.Method])] = [
        (["metrics"], [.get]), (["checkin", "*"], [.get, .post]), (["teams", "*"], [.get]),
        (["slack", "commands"], [.post]), (["mattermost", "commands"], [.post]), (["discord", "interactions"], [.post]),
        (["line", "webhook"], [.post]), (["lark", "events"], [.post]),
    ]

    func allowed(_ path: String) -> [HTTPRequest.Method]? {
        let segments = path.split(separator: "/")
        return (local ? Self.api + Self.reading : Self.api + Self.pages).first { pattern, _ in
            pattern.count == segments.count && zip(pattern, segments).allSatisfy { $0 == "*" || $0 == $1 }
        }?.1
    }

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        // HEAD is answered as GET where GET is allowed.
        if let allowed = allowed(request.uri.path), !allowed.contains(request.method),
            !(request.method == .head && allowed.contains(.get))
        {
            let allow = allowed.map(\.rawValue).joined(separator: ", ")
            throw HTTPProblem(.invalidInput, "\(request.uri.path) takes \(allow)", headers: [.allow: allow]).with(status: .methodNotAllowed)
        }
        return try await next(request, context)
    }
}
