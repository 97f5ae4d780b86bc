import Foundation
import NarrateAPI
import NarrateApp
import NarrateModel

/// Days away: `POST /v1/absences`, `GET /v1/absences`, `DELETE /v1/absences/{id}`. The CLI's
/// `narrate away` uses them through the daemon's socket, so days away recorded from a shell on
/// the server reach the daemon's store.
extension APIHandlers {
    func recordAbsence(_ input: Operations.RecordAbsence.Input) async throws -> Operations.RecordAbsence.Output {
        let (app, caller) = try APIScope.required().identified()
        let body = switch input.body { case .json(let body): body }
        let first = try Self.day(body.from, field: "from")
        let last = try Self.day(body.to, field: "to")
        guard first <= last else { throw HTTPProblem(.invalidInput, "\"from\" \(first) is after \"to\" \(last)", field: "from") }
        return await .created(.init(body: .json(.init(try app.checkIns.away(caller.person, from: first, to: last)))))
    }

    func listAbsences(_ input: Operations.ListAbsences.Input) async throws -> Operations.ListAbsences.Output {
        let (app, caller) = try APIScope.required().identified()
        let person = try input.query.person.map { id -> Person in
            guard let person = app.config.person(id) else { throw HTTPProblem(.invalidInput, "unknown person \"\(id)\"", field: "person") }
            return person
        }
        let first = try input.query.since.map { try Self.day($0, field: "since") } ?? LocalDate(app.clock.now(), in: Config.zone(app.config.timeZone))
        let absences = try await app.checkIns.absences(of: person, from: first, visibleTo: .person(caller))
        return .ok(.init(body: .json(.init(since: first.description, absences: absences.map(Components.Schemas.Absence.init)))))
    }

    func cancelAbsence(_ input: Operations.CancelAbsence.Input) async throws -> Operations.CancelAbsence.Output {
        let (app, caller) = try APIScope.required().identified()
        guard input.path.id > 0 else {
            throw HTTPProblem(.invalidInput, "the absence id is a number from 1 (`narrate away list` shows them)", field: "id")
        }
        return await .ok(.init(body: .json(.init(try app.checkIns.cancelAbsence(Int64(input.path.id), by: caller)))))
    }

    static func day(_ text: String, field: String) throws -> LocalDate {
        do { return try LocalDate(parsing: text) } catch { throw HTTPProblem(.invalidInput, "\(error)", field: field) }
    }
}

extension Components.Schemas.Absence {
    init(_ absence: Absence) {
        self.init(id: Int(absence.id), person: absence.person, from: absence.from.description, to: absence.to.description)
    }
}
