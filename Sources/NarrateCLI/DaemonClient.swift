import Foundation
import NarrateApp
import NarrateModel
import NarrateTargets
import NarrateConfig
import NarrateReport
import NarrateDelivery

/// A check-in sent to the running daemon over its local socket (`/run/narrate/narrate.sock`):
/// the daemon writes it to its own store, recorded as whoever the kernel says connected. Used
/// by `log`, `resolve`/`done`/`drop`, `edit`, `delete`, `undo`, `mood`, `metric record` and `away`
/// whenever the socket exists and no `--state-dir` was given.
struct DaemonClient {
    let socket: String
    let config: Config

    /// Sends one API call; returns the JSON object answered, or throws the daemon's error with
    /// its category and the field it names.
    func call(_ method: String, _ path: String, body: [String: Any]? = nil, as person: String? = nil) async throws -> [String: Any] {
        (try JSONSerialization.jsonObject(with: try await send(method, path, body: body, as: person))) as? [String: Any] ?? [:]
    }

    /// A reading command's answer (`GET /v1/history`, …) as the value the command prints;
    /// query items with no value are left out.
    func get<Value: Decodable>(_ path: String, query: [(String, String?)] = [], as type: Value.Type = Value.self) async throws -> Value {
        var components = URLComponents()
        components.queryItems = query.compactMap { name, value in value.map { URLQueryItem(name: name, value: $0) } }
        let items = components.percentEncodedQuery.map { $0.isEmpty ? "" : "?" + $0 } ?? ""
        return try JSONDecoder().decode(Value.self, from: try await send("GET", path + items))
    }

    /// One request; the body answered, or the daemon's error with its category.
    func send(_ method: String, _ path: String, body: [String: Any]? = nil, as person: String? = nil) async throws -> Data {
        var headers: [(String, String)] = [("Accept", "application/json")]
        if body != nil { headers.append(("Content-Type", "application/json")) }
        if let person { headers.append(("X-Narrate-As", person)) }
        let data = try body.map { try JSONSerialization.data(withJSONObject: $0) } ?? Data()
        let request = HTTPRequest(
            method: method, url: "http://localhost" + path, headers: headers, body: data, timeout: 30, connectTimeout: 5, unixSocket: socket)
        let response: HTTPResponse
        do {
            response = try await CurlTransport.withRunning { try await $0.send(request) }
        } catch {
            throw NarrateError(
                .unavailable,
                "the narrate daemon does not answer on \(socket) (\(error)); is it running (systemctl status narrate)? Nothing was recorded")
        }
        guard (200..<300).contains(response.status) else {
            let object = (try? JSONSerialization.jsonObject(with: response.body)) as? [String: Any] ?? [:]
            let error = object["error"] as? [String: Any] ?? [:]
            let category = (error["category"] as? String).flatMap(NarrateError.Category.init(rawValue:)) ?? .internal
            let message = error["message"] as? String ?? "the daemon answered \(response.status)"
            throw NarrateError(category, message)
        }
        return response.body
    }

    /// The ISO time of `--at`, read in `zone`.
    static func iso(_ date: Date?, zone: TimeZone) -> String? {
        date.map { TimeText.iso($0, in: zone) }
    }
}

extension GlobalOptions {
    /// The daemon's socket, when commands should go through it: it exists, and no `--state-dir`
    /// asks for a store of one's own. `$NARRATE_SOCKET` names another path; set empty, it turns
    /// the socket off.
    func daemon() throws -> DaemonClient? {
        guard stateDir == nil else { return nil }
        let environment = wiring.environment
        if let value = environment["NARRATE_SOCKET"], value.isEmpty { return nil }
        let (config, _) = try loadConfig()
        let path = environment["NARRATE_SOCKET"] ?? config.http?.socket ?? "/run/narrate/narrate.sock"
        var info = stat()
        guard stat(path, &info) == 0, info.st_mode & S_IFMT == S_IFSOCK else { return nil }
        return DaemonClient(socket: path, config: config)
    }

    /// The zone `--at` is read in for a remote call: the acting person's, else the config's.
    func zone(_ config: Config, as id: String?) -> TimeZone {
        let person = id.flatMap(config.person) ?? user(config)
        return person.map(config.zone(of:)) ?? Config.zone(config.timeZone)
    }
}
