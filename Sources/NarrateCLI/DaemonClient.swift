import Foundation
import NarrateAPI
import NarrateApp
import NarrateConfig
import NarrateModel
import NarrateReport
import OpenAPIRuntime

/// The running daemon, over its local socket (`/run/narrate/narrate.sock`): the daemon writes to
/// its own store, recorded as whoever the kernel says connected. `log`, `resolve`/`done`/`drop`,
/// `edit`, `delete`, `undo`, `mood`, `metric record` and `away` call the API through the client
/// generated from docs/openapi.yaml; `history`, `preview`, `reports` and `schedule` read the
/// socket's reading routes, answered with the values those commands print.
struct DaemonClient {
    let socket: String
    let config: Config

    /// Runs `call` on the generated client, acting for `person` when given; the daemon's refusal
    /// comes out as its own error, not wrapped in the client's.
    func api<Value>(as person: String? = nil, _ call: (Client) async throws -> Value) async throws -> Value {
        let client = Client(serverURL: URL(string: "http://localhost")!, transport: SocketTransport(socket: socket, actingAs: person))
        do {
            return try await call(client)
        } catch let error as ClientError {
            throw error.underlyingError
        }
    }

    /// A reading command's answer (`GET /v1/history`, …) as the value the command prints;
    /// query items with no value are left out.
    func get<Value: Decodable>(_ path: String, query: [(String, String?)] = [], as type: Value.Type = Value.self) async throws -> Value {
        var components = URLComponents()
        components.queryItems = query.compactMap { name, value in value.map { URLQueryItem(name: name, value: $0) } }
        let items = components.percentEncodedQuery.map { $0.isEmpty ? "" : "?" + $0 } ?? ""
        let request = HTTPRequest(
            method: "GET", url: "http://localhost" + path + items, headers: [("Accept", "application/json")], timeout: 30, connectTimeout: 5,
            unixSocket: socket)
        return try JSONDecoder().decode(Value.self, from: try await SocketTransport.exchange(request, socket: socket).body)
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
        if let value = wiring.environment["NARRATE_SOCKET"], value.isEmpty { return nil }
        let (config, _) = try loadConfig()
        let path = socketPath(config)
        return Self.isSocket(path) ? DaemonClient(socket: path, config: config) : nil
    }

    /// Where the daemon's socket is: `$NARRATE_SOCKET`, else the config's `[http] socket`, else
    /// `/run/narrate/narrate.sock`.
    func socketPath(_ config: Config) -> String {
        wiring.environment["NARRATE_SOCKET"].flatMap { $0.isEmpty ? nil : $0 } ?? config.http?.socket ?? "/run/narrate/narrate.sock"
    }

    static func isSocket(_ path: String) -> Bool {
        var info = stat()
        return stat(path, &info) == 0 && info.st_mode & S_IFMT == S_IFSOCK
    }

    /// The zone `--at` is read in for a remote call: the acting person's, else the config's.
    func zone(_ config: Config, as id: String?) -> TimeZone {
        let person = id.flatMap(config.person) ?? user(config)
        return person.map(config.zone(of:)) ?? Config.zone(config.timeZone)
    }
}
