import Foundation
import Hummingbird
import HummingbirdCore
import Logging
import NIOCore
import NarrateApp
import NarrateModel
import NarrateReport
import NarrateAPI
import OpenAPIHummingbird
import Prometheus
import ServiceLifecycle

/// The check-in service: the JSON API, the web check-in page, Slack / Mattermost / Discord
/// commands, `/healthz` and `/metrics` on `[http] listen`, and the same API on the local Unix
/// socket, where the caller is whoever the kernel says connected (peer credentials).
///
/// Every handler asks `current()` for the context, so a SIGHUP's new config (people, tokens'
/// owners, secrets) applies to the next request.
public struct CheckInServer: Sendable {
    public typealias ContextSource = @Sendable () async -> AppContext

    let current: ContextSource
    let heartbeat: Heartbeat?
    let registry: PrometheusCollectorRegistry
    /// Failed authentication per client address: a wrong token, link or signature. Kept apart
    /// from the traffic of valid tokens, so a guessing client behind the same proxy as everyone
    /// else never locks a valid token out.
    let failureLimiter: RateLimiter
    /// Authenticated requests per token.
    let tokenLimiter: RateLimiter
    /// Signed chat requests already acted on within their timestamp window.
    /// Every request's time, for the rate limiter and Slack's timestamp window.
    let now: @Sendable () -> Date

    public init(
        current: @escaping ContextSource, rate: Int, heartbeat: Heartbeat? = nil,
        registry: PrometheusCollectorRegistry = ServiceMetrics.registry, now: @escaping @Sendable () -> Date = { Date() }
    ) {
        self.current = current
        self.heartbeat = heartbeat
        self.registry = registry
        self.failureLimiter = RateLimiter(perMinute: rate)
        self.tokenLimiter = RateLimiter(perMinute: rate)
        self.now = now
    }

    /// The router of `[http] listen`.
    public func router() throws -> Router<ServerContext> {
        let router = Router(context: ServerContext.self)
        router.add(middleware: RequestMetrics())
        router.add(middleware: APIMethods())
        router.get("metrics") { _, _ in self.metrics() }
        try addAPI(to: router, channel: "api") { request, context, app in try await self.bearer(request, context, app) }
        addCheckInPage(to: router)
        addTeamPage(to: router)
        addChatCommands(to: router)
        addMessengerWebhooks(to: router)
        return router
    }

    /// The router of the local socket: the API and the reading commands' routes, with the caller
    /// named by peer credentials.
    public func localRouter() throws -> Router<ServerContext> {
        let router = Router(context: ServerContext.self)
        router.add(middleware: RequestMetrics())
        router.add(middleware: APIMethods(local: true))
        let api = try addAPI(to: router, channel: "socket") { request, context, app in try await PeerCredentials.caller(request, context, app) }
        addReadingAPI(to: api)
        return router
    }

    /// The operations of docs/openapi.yaml, through the server generated from it, behind the
    /// gateway that names the caller and maps every refusal to a problem.
    @discardableResult
    func addAPI(to router: Router<ServerContext>, channel: String, identify: @escaping APIGateway.Identify) throws -> RouterGroup<ServerContext> {
        let group = router.group().add(middleware: APIGateway(server: self, channel: channel, identify: identify))
        // One line of JSON, as every other answer of the service (the runtime pretty-prints by default).
        try APIHandlers(server: self).registerHandlers(
            on: group, configuration: .init(jsonEncodingOptions: [.sortedKeys, .withoutEscapingSlashes]))
        return group
    }

    /// The servers to run: one on `settings.listen` (when `[http]` is configured), and one on
    /// the local socket (when given).
    public func services(settings: HTTPSettings?, socket: String?, logger: Logger) throws -> [any Service] {
        let quiet = Logger(label: "narrate.http") { _ in SwiftLogNoOpLogHandler() }
        // Each connection: a deadline for every whole request, and a cap per client address.
        let counts = ConnectionCap.Counts()
        let deadline = TimeAmount.seconds(Int64(settings?.requestTimeout ?? 30))
        let cap = settings?.maxConnectionsPerAddress ?? 32
        let exempt = Set(settings?.trustedProxies ?? [])
        let server = HTTPServerBuilder.http1(configuration: .init(
            additionalChannelHandlers: [RequestDeadline(limit: deadline), ConnectionCap(limit: cap, counts: counts, exempt: exempt)],
            idleTimeout: .seconds(30)))
        var services: [any Service] = []
        if let settings {
            let address: BindAddress
            if let (host, port) = settings.hostAndPort {
                address = .hostname(host, port: port)
            } else {
                address = .unixDomainSocket(path: try LocalSocket.prepare(settings.listen))
            }
            services.append(
                RouterService(
                    router: try router(), server: server, address: address,
                    onServerRunning: { channel in
                        if settings.hostAndPort != nil {
                            logger.notice("check-in service listening on \(channel.localAddress.flatMap(Self.hostAndPort) ?? settings.listen)")
                        } else {
                            LocalSocket.open(settings.listen, logger: logger)
                        }
                    }, logger: quiet))
        }
        if let socket {
            let path = try LocalSocket.prepare(socket)
            services.append(
                RouterService(
                    router: try localRouter(), server: server, address: .unixDomainSocket(path: path),
                    onServerRunning: { _ in LocalSocket.open(path, logger: logger) }, logger: quiet))
        }
        return services
    }
}

extension CheckInServer {
    /// `Authorization: Bearer <api token>`: a valid token is limited per token, a missing or
    /// wrong one counts against the client's address.
    func bearer(_ request: Request, _ context: ServerContext, _ app: AppContext) async throws -> Caller {
        let address = client(request, context, app)
        guard let header = request.headers[.authorization], header.count > 7, header.prefix(7).lowercased() == "bearer " else {
            throw failed(
                HTTPProblem(
                    .unauthenticated, "send Authorization: Bearer <token>; `narrate token create PERSON` makes one",
                    field: "Authorization", headers: [.wwwAuthenticate: "Bearer"]),
                address: address)
        }
        let token = String(header.dropFirst(7)).trimmingCharacters(in: .whitespaces)
        let person: Person
        do {
            person = try await app.tokens.authenticate(token, scope: .api)
        } catch let error as NarrateError where error.category == .unauthenticated {
            throw failed(
                HTTPProblem(.unauthenticated, error.message, field: "Authorization", headers: [.wwwAuthenticate: "Bearer error=\"invalid_token\""]),
                address: address)
        }
        try admit(token: token)
        return app.config.caller(person)
    }

    /// A person's link (`scope: .link`) for a page: a valid one is limited per link, a wrong one
    /// counts against the client's address.
    func authenticateLink(_ token: String, _ request: Request, _ context: ServerContext, _ app: AppContext) async throws -> Person {
        let person: Person
        do {
            person = try await app.tokens.authenticate(token, scope: .link)
        } catch {
            throw failed(error, address: client(request, context, app), format: .html)
        }
        try admit(token: token, format: .html)
        return person
    }

    /// An address as people write it: `127.0.0.1:8470`, `[::1]:8470` (NIO's description is
    /// `[IPv4]127.0.0.1/127.0.0.1:8470`).
    static func hostAndPort(_ address: SocketAddress) -> String? {
        guard let ip = address.ipAddress, let port = address.port else { return nil }
        return ip.contains(":") ? "[\(ip)]:\(port)" : "\(ip):\(port)"
    }

    /// Counts a valid token's request; over the rate, 429.
    func admit(token: String, format: HTTPProblem.Format = .json) throws {
        if let wait = tokenLimiter.admit(AccessToken.hash(of: token), now: now()) { throw tooMany(wait, format: format) }
    }

    /// An authentication failure, counted against `address`: the error itself, or 429 once the
    /// address has failed more than the rate allows this minute. Other errors pass unchanged.
    func failed(_ error: any Error, address: String, format: HTTPProblem.Format = .json) -> any Error {
        guard NarrateError.Category(of: error) == .unauthenticated,
            let wait = failureLimiter.admit("addr:" + address, now: now())
        else { return error }
        return tooMany(wait, format: format, failures: true)
    }

    /// The client's address: the connection's peer, or, when the peer is one of `[http]
    /// trusted_proxies`, the nearest address in `X-Forwarded-For` that is not one of them. A
    /// client's own `X-Forwarded-For` is never believed.
    func client(_ request: Request, _ context: ServerContext, _ app: AppContext) -> String {
        let peer = context.remoteAddress ?? "local"
        guard let proxies = app.config.http?.trustedProxies, proxies.contains(peer) else { return peer }
        let hops = request.headers[values: .xForwardedFor].flatMap { $0.split(separator: ",") }
            .map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        return hops.last { !proxies.contains($0) } ?? hops.first ?? peer
    }

    func tooMany(_ wait: Int, format: HTTPProblem.Format = .json, failures: Bool = false) -> HTTPProblem {
        let what = failures ? "failed sign-ins from this address" : "requests"
        return HTTPProblem(
            .tooManyRequests, "more than \(tokenLimiter.perMinute) \(what) a minute; try again in \(wait) s", format: format,
            headers: [.retryAfter: String(wait)])
    }

    /// Any error as the problem to answer with; one narrate did not expect is logged (redacted),
    /// since its answer only says to look in the log.
    func problem(_ error: any Error, _ app: AppContext, format: HTTPProblem.Format = .json) -> HTTPProblem {
        let problem = HTTPProblem(error, redactor: app.redactor, format: format)
        if problem.category == .internal || problem.category == .unavailable {
            app.logger.error("check-in service: \(app.redactor.redact("\(error)"))")
        }
        return problem
    }

    func metrics() -> Response {
        var buffer: [UInt8] = []
        buffer.reserveCapacity(8192)
        registry.emit(into: &buffer)
        return Response(
            status: .ok, headers: [.contentType: "text/plain; version=0.0.4; charset=utf-8"],
            body: .init(byteBuffer: ByteBuffer(bytes: buffer)))
    }
}

/// JSON responses.
enum JSONResponse {
    static func make(_ object: Any, status: HTTPResponse.Status = .ok) -> Response {
        let data = (try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys, .withoutEscapingSlashes])) ?? Data("{}".utf8)
        return Response(
            status: status,
            headers: [.contentType: "application/json; charset=utf-8", .cacheControl: "no-store", .xContentTypeOptions: "nosniff"],
            body: .init(byteBuffer: ByteBuffer(bytes: data)))
    }
}
