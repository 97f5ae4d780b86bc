import Foundation
import Hummingbird
import NarrateApp
import NarrateModel
import NarrateReport

extension CheckInServer {
    typealias Identify = @Sendable (Request, ServerContext, AppContext) async throws -> Caller

    /// `/v1`: entries, metrics, moods and undo, for the caller `identify` names (a bearer token
    /// over TCP, peer credentials on the local socket). Described in docs/openapi.yaml.
    func addAPI(to group: RouterGroup<ServerContext>, channel: String = "api", identify: @escaping Identify) {
        addAbsences(to: group, identify: identify)
        group.post("entries") { request, context in
            try await self.api(request, context, identify) { app, caller in
                let body = try await BodyReader.json(request, limit: app.maxBody)
                try body.allow(["kind", "text", "stage", "kpi", "at"])
                let kind: Entry.Kind = try body.choice("kind", required: true)!
                let text = try Self.text(body.string("text", required: true)!, field: "text")
                let stage: Entry.Stage? = try body.choice("stage")
                let kpi = try body.string("kpi")
                if let kpi, app.config.kpi(kpi) == nil {
                    throw HTTPProblem(.invalidInput, "unknown KPI \"\(kpi)\"", field: "kpi")
                }
                if stage != nil && kind != .blocker { throw HTTPProblem(.invalidInput, "stage applies to blockers only", field: "stage") }
                let at = try Self.time(body, "at", app, caller.person)
                let entry = try app.checkIns.log(kind, text: text, by: caller.person, stage: stage, kpi: kpi, at: at)
                ServiceMetrics.checkIn(channel)
                return JSONResponse.make(EntryJSON.object(entry, app), status: .created)
            }
        }
        group.get("entries") { request, context in
            try await self.api(request, context, identify) { app, caller in
                let zone = app.config.zone(of: caller.person)
                let since: Date
                if let text = request.uri.queryParameters["since"].map(String.init) {
                    do {
                        since = try TimeText.parse(text, zone: zone, now: app.clock.now())
                    } catch {
                        throw HTTPProblem(.invalidInput, "\(error)", field: "since")
                    }
                } else {
                    since = try app.checkIns.summary(of: caller.person).period.start
                }
                let (entries, open) = try app.checkIns.own(caller.person, since: since)
                return JSONResponse.make([
                    "person": caller.person.id, "since": TimeText.iso(since, in: zone),
                    "entries": entries.map { EntryJSON.object($0, app) }, "open": open.map { EntryJSON.object($0, app) },
                ])
            }
        }
        group.patch("entries/{id}") { request, context in
            try await self.api(request, context, identify) { app, caller in
                let reference = try Self.reference(context)
                let body = try await BodyReader.json(request, limit: app.maxBody)
                try body.allow(["text", "state", "note"])
                let text = try body.string("text")
                let state: Entry.State? = try body.choice("state")
                guard (text == nil) != (state == nil) else {
                    throw HTTPProblem(.invalidInput, "give either \"text\" (an edit) or \"state\" (resolved, done, dropped)", field: text == nil ? "text" : "state")
                }
                if let state {
                    guard state != .open else { throw HTTPProblem(.invalidInput, "state is resolved, done or dropped", field: "state") }
                    let note = try body.string("note").map { try Self.text($0, field: "note") }
                    let entry = try app.checkIns.close(reference, as: state, note: note, by: caller)
                    ServiceMetrics.checkIn(channel)
                    return JSONResponse.make(EntryJSON.object(entry, app))
                }
                let entry = try app.checkIns.edit(reference, text: try Self.text(text!, field: "text"), by: caller)
                return JSONResponse.make(EntryJSON.object(entry, app))
            }
        }
        group.delete("entries/{id}") { request, context in
            try await self.api(request, context, identify) { app, caller in
                let entry = try app.checkIns.delete(try Self.reference(context), by: caller)
                return JSONResponse.make(EntryJSON.object(entry, app).merging(["deleted": true]) { $1 })
            }
        }
        group.post("undo") { request, context in
            try await self.api(request, context, identify) { app, caller in
                let (entry, change) = try app.checkIns.undo(by: caller)
                return JSONResponse.make(["undone": change.action.rawValue, "entry": EntryJSON.object(entry, app)])
            }
        }
        group.post("metrics") { request, context in
            try await self.api(request, context, identify) { app, caller in
                let body = try await BodyReader.json(request, limit: app.maxBody)
                try body.allow(["kpi", "value", "at"])
                let kpi = try body.string("kpi", required: true)!
                guard app.config.kpi(kpi) != nil else { throw HTTPProblem(.invalidInput, "unknown KPI \"\(kpi)\"", field: "kpi") }
                let value = try body.number("value", required: true)!
                do { try MetricBounds.check(value) } catch { throw HTTPProblem(.invalidInput, "\(error)", field: "value") }
                let at = try Self.time(body, "at", app, caller.person)
                let reading = try app.metrics.record(
                    kpi, value: value, at: at, by: .person(caller), origin: channel == "socket" ? .cli : .api)
                return JSONResponse.make(
                    ["kpi": reading.kpi, "value": reading.value, "at": TimeText.iso(reading.at, in: app.config.zone(of: caller.person))],
                    status: .created)
            }
        }
        group.post("moods") { request, context in
            try await self.api(request, context, identify) { app, caller in
                let body = try await BodyReader.json(request, limit: app.maxBody)
                try body.allow(["mood", "load", "at"])
                let mood = try Self.scale(body, "mood", required: true)!
                let load = try Self.scale(body, "load", required: false)
                let at = try Self.time(body, "at", app, caller.person)
                let checkIn = try app.checkIns.mood(caller.person, mood: mood, load: load, at: at)
                ServiceMetrics.checkIn(channel)
                var object: [String: Any] = ["id": checkIn.id, "mood": checkIn.mood, "at": TimeText.iso(checkIn.at, in: app.config.zone(of: caller.person))]
                object["load"] = checkIn.load ?? NSNull()
                return JSONResponse.make(object, status: .created)
            }
        }
    }

    /// Runs one API call: who is calling, then the work; any error becomes a JSON problem.
    func api(
        _ request: Request, _ context: ServerContext, _ identify: Identify,
        _ work: (AppContext, Caller) async throws -> Response
    ) async throws -> Response {
        let app = await current()
        do {
            let caller = try await identify(request, context, app)
            return try await work(app, caller)
        } catch {
            throw self.problem(error, app)
        }
    }

    static func reference(_ context: ServerContext) throws -> EntryReference {
        let id = context.parameters.get("id") ?? ""
        do { return try EntryReference(parsing: id) } catch { throw HTTPProblem(.invalidInput, "\(error)", field: "id") }
    }

    static func text(_ text: String, field: String) throws -> String {
        do { return try TextRules.validated(text, what: field) } catch { throw HTTPProblem(.invalidInput, "\(error)", field: field) }
    }

    static func time(_ body: JSONFields, _ key: String, _ app: AppContext, _ person: Person) throws -> Date? {
        guard let text = try body.string(key) else { return nil }
        do {
            let date = try TimeText.parse(text, zone: app.config.zone(of: person), now: app.clock.now())
            try app.checkIns.notInTheFuture(date, for: person)
            return date
        } catch {
            throw HTTPProblem(.invalidInput, "\(error)", field: key)
        }
    }

    static func scale(_ body: JSONFields, _ key: String, required: Bool) throws -> Int? {
        guard let value = try body.number(key, required: required) else { return nil }
        guard value == value.rounded(), (1...5).contains(value) else {
            throw HTTPProblem(.invalidInput, "\"\(key)\" is a whole number from 1 to 5", field: key)
        }
        return Int(value)
    }
}

extension AppContext {
    var maxBody: Int { config.http?.maxBody ?? HTTPSettings().maxBody }
}

/// An entry as the API shows it; times carry the author's offset.
enum EntryJSON {
    static func object(_ entry: Entry, _ app: AppContext) -> [String: Any] {
        let zone = app.config.person(entry.person).map(app.config.zone(of:)) ?? Config.zone(app.config.timeZone)
        var object: [String: Any] = [
            "id": entry.id, "ref": entry.displayID, "person": entry.person, "kind": entry.kind.rawValue, "text": entry.text,
            "at": TimeText.iso(entry.at, in: zone),
        ]
        object["stage"] = entry.stage?.rawValue ?? NSNull()
        object["kpi"] = entry.kpi ?? NSNull()
        object["state"] = entry.state?.rawValue ?? NSNull()
        object["closed_at"] = entry.closedAt.map { TimeText.iso($0, in: zone) } ?? NSNull()
        object["note"] = entry.note ?? NSNull()
        return object
    }
}
