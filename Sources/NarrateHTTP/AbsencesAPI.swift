import Foundation
import Hummingbird
import NarrateApp
import NarrateModel
import NarrateReport

/// Days away over the API: `POST /absences`, `GET /absences`, `DELETE /absences/{id}`. The CLI's
/// `narrate away` uses them through the daemon's socket, so days away recorded from a shell on
/// the server reach the daemon's store.
extension CheckInServer {
    func addAbsences(to group: RouterGroup<ServerContext>, identify: @escaping Identify) {
        group.post("absences") { request, context in
            try await self.api(request, context, identify) { app, caller in
                let body = try await BodyReader.json(request, limit: app.maxBody)
                try body.allow(["from", "to"])
                let first = try Self.day(body.string("from", required: true)!, field: "from")
                let last = try Self.day(body.string("to", required: true)!, field: "to")
                guard first <= last else { throw HTTPProblem(.invalidInput, "\"from\" \(first) is after \"to\" \(last)", field: "from") }
                let absence = try app.checkIns.away(caller.person, from: first, to: last)
                return JSONResponse.make(Self.object(absence), status: .created)
            }
        }
        group.get("absences") { request, context in
            try await self.api(request, context, identify) { app, caller in
                let person = try request.uri.queryParameters["person"].map { id -> Person in
                    guard let person = app.config.person(String(id)) else {
                        throw HTTPProblem(.invalidInput, "unknown person \"\(id)\"", field: "person")
                    }
                    return person
                }
                let first = try request.uri.queryParameters["since"].map { try Self.day(String($0), field: "since") }
                    ?? LocalDate(app.clock.now(), in: Config.zone(app.config.timeZone))
                let absences = try app.checkIns.absences(of: person, from: first, visibleTo: .person(caller))
                return JSONResponse.make(["since": first.description, "absences": absences.map(Self.object)])
            }
        }
        group.delete("absences/{id}") { request, context in
            try await self.api(request, context, identify) { app, caller in
                guard let id = context.parameters.get("id").flatMap(Int64.init) else {
                    throw HTTPProblem(.invalidInput, "the absence id is a number (`narrate away list` shows them)", field: "id")
                }
                return JSONResponse.make(Self.object(try app.checkIns.cancelAbsence(id, by: caller)))
            }
        }
    }

    static func day(_ text: String, field: String) throws -> LocalDate {
        do { return try LocalDate(parsing: text) } catch { throw HTTPProblem(.invalidInput, "\(error)", field: field) }
    }

    static func object(_ absence: Absence) -> [String: Any] {
        ["id": absence.id, "person": absence.person, "from": absence.from.description, "to": absence.to.description]
    }
}
