import Hummingbird
import Metrics
import Prometheus

/// The metrics the check-in service exports, through the swift-metrics facade; the Prometheus
/// backend is bootstrapped once per process, by whoever touches ``registry`` first.
public enum ServiceMetrics {
    public static let registry: PrometheusCollectorRegistry = {
        let registry = PrometheusCollectorRegistry()
        var factory = PrometheusMetricsFactory(registry: registry)
        factory.defaultDurationHistogramBuckets = [
            .milliseconds(5), .milliseconds(25), .milliseconds(100), .milliseconds(250), .milliseconds(500),
            .seconds(1), .seconds(2.5), .seconds(5), .seconds(10), .seconds(30),
        ]
        MetricsSystem.bootstrap(factory)
        return registry
    }()

    /// A check-in received, by channel: api, socket, web, slack, mattermost, discord.
    static func checkIn(_ channel: String) {
        Counter(label: "narrate_checkins_total", dimensions: [("channel", channel)]).increment()
    }
}

/// Counts requests by route pattern (never the path itself: a check-in link's token is in it),
/// method and status.
struct RequestMetrics<Context: RequestContext>: RouterMiddleware {
    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        let started = ContinuousClock.now
        let status: HTTPResponse.Status
        do {
            let response = try await next(request, context)
            status = response.status
            record(request, context, status, started)
            return response
        } catch {
            status = (error as? any HTTPResponseError)?.status ?? .internalServerError
            record(request, context, status, started)
            throw error
        }
    }

    func record(_ request: Request, _ context: Context, _ status: HTTPResponse.Status, _ started: ContinuousClock.Instant) {
        let dimensions = [
            ("route", context.endpointPath ?? "unmatched"), ("method", request.method.rawValue), ("status", String(status.code)),
        ]
        Counter(label: "narrate_http_requests_total", dimensions: dimensions).increment()
        let elapsed = started.duration(to: .now)
        Timer(label: "narrate_http_request_duration_seconds", dimensions: Array(dimensions.prefix(2)))
            .recordNanoseconds(elapsed.components.seconds * 1_000_000_000 + elapsed.components.attoseconds / 1_000_000_000)
    }
}
