import Foundation
import Hummingbird
import NarrateApp
import NarrateModel
import NarrateReport

/// What the CLI's reading commands ask the daemon over its local socket, so people on the server
/// need neither root nor the store file: `GET /v1/history`, `/v1/reports`, `/v1/reports/{id}`,
/// `/v1/preview` and `/v1/schedules`, each answered with what the command prints with `--json`.
/// The caller sees what their teams may: the use cases decide (`Requester`).
extension CheckInServer {
    func addReadingAPI(to group: RouterGroup<ServerContext>) {
        group.get("v1/history") { request, _ in
            let (app, caller) = try APIScope.required().identified()
            let query = request.uri.queryParameters
            let since = try query["since"].map { try APIHandlers.day(String($0), field: "since") }
            return try await Self.encoded(app.historyQuery.history(
                team: query["team"].map(String.init), person: query["person"].map(String.init), since: since,
                visibleTo: .person(caller)))
        }
        group.get("v1/reports") { request, _ in
            let (app, caller) = try APIScope.required().identified()
            return try await Self.encoded(app.reports.archived(team: request.uri.queryParameters["team"].map(String.init), by: .person(caller)))
        }
        group.get("v1/reports/{id}") { request, context in
            let (app, caller) = try APIScope.required().identified()
            guard let id = context.parameters.get("id").flatMap(Int64.init) else {
                throw HTTPProblem(.invalidInput, "the report id is a number (`narrate reports` lists them)", field: "id")
            }
            return try await Self.encoded(app.reports.archived(id: id, by: .person(caller)))
        }
        group.get("v1/preview") { request, _ in
            let (app, caller) = try APIScope.required().identified()
            let query = request.uri.queryParameters
            let period = try query["period"].map { text -> Period.Kind in
                guard let kind = Period.Kind(rawValue: String(text)) else {
                    throw HTTPProblem(.invalidInput, "unknown period \"\(text)\"", field: "period")
                }
                return kind
            }
            let at = try query["at"].map { try TimeText.parse(String($0), zone: app.config.zone(of: caller.person), now: app.clock.now()) }
            return try Self.encoded(await app.reports.preview(
                team: query["team"].map(String.init), schedule: query["schedule"].map(String.init), period: period,
                locale: query["locale"].map(String.init), at: at, digest: query["digest"] == "true",
                target: query["target"].map(String.init), by: .person(caller)))
        }
        group.get("v1/schedules") { _, _ in
            let (app, _) = try APIScope.required().identified()
            return try await Self.encoded(app.schedules.status())
        }
    }

    /// A value as the CLI's `--json` writes it.
    static func encoded(_ value: some Encodable) throws -> Response {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return Response(
            status: .ok, headers: [.contentType: "application/json; charset=utf-8", .cacheControl: "no-store", .xContentTypeOptions: "nosniff"],
            body: .init(byteBuffer: ByteBuffer(bytes: try encoder.encode(value))))
    }
}
