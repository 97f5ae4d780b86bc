import Foundation
import NarrateModel
import NarrateReport

/// KPI readings a Prometheus server already computes: each KPI with `prometheus` and `query` is
/// read by an instant query (`/api/v1/query`) at the period's last moment (or now, for a period
/// still running) and at the previous period's last moment, which the report compares with.
public struct PrometheusSource: ActivitySource {
    public let id = "prometheus"
    public let kpis: [KPI]
    public let fetch: Fetch

    public init(kpis: [KPI], fetch: @escaping Fetch) {
        self.kpis = kpis.filter { $0.prometheus != nil && $0.query != nil }
        self.fetch = fetch
    }

    public func collect(_ request: CollectRequest) async -> Collected {
        var collected = Collected()
        let instants = [min(request.end, Date()).addingTimeInterval(-1), request.start.addingTimeInterval(-1)]
        for kpi in kpis {
            for instant in instants {
                do {
                    if let value = try await query(kpi, at: instant, request) {
                        try MetricBounds.check(value)
                        collected.readings.append(MetricReading(kpi: kpi.id, value: value, at: instant, origin: .source))
                    }
                } catch {
                    collected.problems.append("prometheus: \(kpi.id): \(error)")
                    break
                }
            }
        }
        return collected
    }

    /// The query's single value at `instant` (nil for an empty result).
    func query(_ kpi: KPI, at instant: Date, _ request: CollectRequest) async throws -> Double? {
        var allowed = CharacterSet.alphanumerics
        allowed.insert(charactersIn: "-._~")
        let query = kpi.query!.addingPercentEncoding(withAllowedCharacters: allowed) ?? ""
        let base = kpi.prometheus!.hasSuffix("/") ? String(kpi.prometheus!.dropLast()) : kpi.prometheus!
        let response = try await fetch(HTTPRequest(
            method: "GET", url: "\(base)/api/v1/query?query=\(query)&time=\(Int(instant.timeIntervalSince1970))",
            timeout: max(1, min(30, request.deadline.timeIntervalSinceNow))))
        let json = (try? JSONSerialization.jsonObject(with: response.body)) as? [String: Any]
        guard response.status == 200, json?["status"] as? String == "success", let data = json?["data"] as? [String: Any] else {
            let detail = [json?["errorType"] as? String, json?["error"] as? String].compactMap { $0 }.joined(separator: ": ")
            throw NarrateError(.unavailable, "HTTP \(response.status)" + (detail.isEmpty ? "" : ": \(detail)"))
        }
        switch data["resultType"] as? String {
        case "scalar":
            return Self.number((data["result"] as? [Any])?.last)
        case "vector":
            let result = data["result"] as? [[String: Any]] ?? []
            guard !result.isEmpty else { return nil }
            guard result.count == 1 else {
                throw NarrateError(.invalidInput, "the query returns \(result.count) series; aggregate it to one (sum(…), avg(…))")
            }
            return Self.number((result[0]["value"] as? [Any])?.last)
        default:
            throw NarrateError(.invalidInput, "the query returns a \(data["resultType"] as? String ?? "?"); an instant vector or scalar is needed")
        }
    }

    static func number(_ value: Any?) -> Double? {
        (value as? String).flatMap(Double.init).flatMap { $0.isFinite ? $0 : nil }
    }
}
