import Foundation
import NarrateAPI
import NarrateApp
import NarrateModel
import NarrateReport

/// The operations of docs/openapi.yaml, on the types generated from it (Sources/NarrateAPI):
/// each checks what the spec cannot say (a KPI the config knows, a time not in the future, a
/// text's rules) and calls one use case. The caller and the context come from `APIGateway`.
struct APIHandlers: APIProtocol {
    let server: CheckInServer

    func createEntry(_ input: Operations.CreateEntry.Input) async throws -> Operations.CreateEntry.Output {
        let scope = try APIScope.required()
        let (app, caller) = try scope.identified()
        let body = switch input.body { case .json(let body): body }
        let kind = try Entry.Kind(sameAs: body.kind)
        let stage = try body.stage.map(Entry.Stage.init(sameAs:))
        if let kpi = body.kpi, app.config.kpi(kpi) == nil {
            throw HTTPProblem(.invalidInput, "unknown KPI \"\(kpi)\"", field: "kpi")
        }
        if stage != nil && kind != .blocker { throw HTTPProblem(.invalidInput, "stage applies to blockers only", field: "stage") }
        let entry = try await app.checkIns.log(
            kind, text: try Self.text(body.text, field: "text"), by: caller.person, stage: stage, kpi: body.kpi,
            at: try Self.time(body.at, "at", app, caller.person))
        ServiceMetrics.checkIn(scope.channel)
        return .created(.init(body: .json(try .init(entry, app))))
    }

    func listEntries(_ input: Operations.ListEntries.Input) async throws -> Operations.ListEntries.Output {
        let (app, caller) = try APIScope.required().identified()
        let zone = app.config.zone(of: caller.person)
        let since: Date
        if let text = input.query.since {
            do {
                since = try TimeText.parse(text, zone: zone, now: app.clock.now())
            } catch {
                throw HTTPProblem(.invalidInput, "\(error)", field: "since")
            }
        } else {
            since = try await app.checkIns.summary(of: caller.person).period.start
        }
        let (entries, open) = try await app.checkIns.own(caller.person, since: since)
        return .ok(.init(body: .json(.init(
            person: caller.person.id, since: TimeText.iso(since, in: zone), entries: try entries.map { try .init($0, app) },
            open: try open.map { try .init($0, app) }))))
    }

    func changeEntry(_ input: Operations.ChangeEntry.Input) async throws -> Operations.ChangeEntry.Output {
        let scope = try APIScope.required()
        let (app, caller) = try scope.identified()
        let reference = try Self.reference(input.path.id)
        let body = switch input.body { case .json(let body): body }
        guard (body.text == nil) != (body.state == nil) else {
            throw HTTPProblem(
                .invalidInput, "give either \"text\" (an edit) or \"state\" (resolved, done, dropped)", field: body.text == nil ? "text" : "state")
        }
        if let state = body.state {
            let closing = try Entry.State(sameAs: state)
            let note = try body.note.map { try Self.text($0, field: "note") }
            let entry = try await app.checkIns.close(reference, as: closing, note: note, by: caller)
            ServiceMetrics.checkIn(scope.channel)
            return .ok(.init(body: .json(try .init(entry, app))))
        }
        if body.note != nil { throw HTTPProblem(.invalidInput, "\"note\" goes with \"state\"", field: "note") }
        let entry = try await app.checkIns.edit(reference, text: try Self.text(body.text!, field: "text"), by: caller)
        return .ok(.init(body: .json(try .init(entry, app))))
    }

    func deleteEntry(_ input: Operations.DeleteEntry.Input) async throws -> Operations.DeleteEntry.Output {
        let (app, caller) = try APIScope.required().identified()
        let entry = try await app.checkIns.delete(try Self.reference(input.path.id), by: caller)
        return .ok(.init(body: .json(.init(value1: try .init(entry, app), value2: .init(deleted: true)))))
    }

    func undo(_ input: Operations.Undo.Input) async throws -> Operations.Undo.Output {
        let (app, caller) = try APIScope.required().identified()
        let (entry, change) = try await app.checkIns.undo(by: caller)
        return .ok(.init(body: .json(.init(undone: try .init(sameAs: change.action), entry: try .init(entry, app)))))
    }

    func recordMetric(_ input: Operations.RecordMetric.Input) async throws -> Operations.RecordMetric.Output {
        let scope = try APIScope.required()
        let (app, caller) = try scope.identified()
        let body = switch input.body { case .json(let body): body }
        guard app.config.kpi(body.kpi) != nil else { throw HTTPProblem(.invalidInput, "unknown KPI \"\(body.kpi)\"", field: "kpi") }
        do { try MetricBounds.check(body.value) } catch { throw HTTPProblem(.invalidInput, "\(error)", field: "value") }
        let reading = try await app.metrics.record(
            body.kpi, value: body.value, at: try Self.time(body.at, "at", app, caller.person), by: .person(caller),
            origin: scope.channel == "socket" ? .cli : .api)
        return .created(.init(body: .json(.init(
            kpi: reading.kpi, value: reading.value, at: TimeText.iso(reading.at, in: app.config.zone(of: caller.person))))))
    }

    func listMetrics(_ input: Operations.ListMetrics.Input) async throws -> Operations.ListMetrics.Output {
        let (app, caller) = try APIScope.required().identified()
        if let kpi = input.query.kpi, app.config.kpi(kpi) == nil { throw HTTPProblem(.invalidInput, "unknown KPI \"\(kpi)\"", field: "kpi") }
        let since: Date
        do {
            since = try TimeText.parse(input.query.since ?? "-56d", zone: app.config.zone(of: caller.person), now: app.clock.now())
        } catch {
            throw HTTPProblem(.invalidInput, "\(error)", field: "since")
        }
        let readings = try await app.metrics.list(input.query.kpi.map { [$0] } ?? [], since: since, by: .person(caller))
        return .ok(.init(body: .json(readings.map { .init($0, zone: app.config.zone(of: caller.person)) })))
    }

    func deleteMetric(_ input: Operations.DeleteMetric.Input) async throws -> Operations.DeleteMetric.Output {
        let (app, caller) = try APIScope.required().identified()
        guard let kpi = app.config.kpi(input.path.kpi) else { throw HTTPProblem(.notFound, "unknown KPI \"\(input.path.kpi)\"", field: "kpi") }
        let at: Date
        do {
            at = try TimeText.parse(input.query.at, zone: app.config.zone(ofTeam: kpi.team), now: app.clock.now())
        } catch {
            throw HTTPProblem(.invalidInput, "\(error)", field: "at")
        }
        let reading = try await app.metrics.delete(kpi.id, at: at, by: .person(caller))
        return .ok(.init(body: .json(.init(reading, zone: app.config.zone(of: caller.person)))))
    }

    func recordMood(_ input: Operations.RecordMood.Input) async throws -> Operations.RecordMood.Output {
        let scope = try APIScope.required()
        let (app, caller) = try scope.identified()
        let body = switch input.body { case .json(let body): body }
        let mood = try Self.scale(body.mood, "mood")
        let load = try body.load.map { try Self.scale($0, "load") }
        let checkIn = try await app.checkIns.mood(caller.person, mood: mood, load: load, at: try Self.time(body.at, "at", app, caller.person))
        ServiceMetrics.checkIn(scope.channel)
        return .created(.init(body: .json(.init(
            id: Int(checkIn.id), mood: checkIn.mood, load: checkIn.load, at: TimeText.iso(checkIn.at, in: app.config.zone(of: caller.person))))))
    }

    func health(_ input: Operations.Health.Input) async throws -> Operations.Health.Output {
        let (healthy, body) = try await server.health()
        return healthy ? .ok(.init(body: .json(body))) : .serviceUnavailable(.init(body: .json(body)))
    }
}

extension APIHandlers {
    static func reference(_ id: String) throws -> EntryReference {
        do { return try EntryReference(parsing: id) } catch { throw HTTPProblem(.invalidInput, "\(error)", field: "id") }
    }

    static func text(_ text: String, field: String) throws -> String {
        do { return try TextRules.validated(text, what: field) } catch { throw HTTPProblem(.invalidInput, "\(error)", field: field) }
    }

    static func time(_ text: String?, _ key: String, _ app: AppContext, _ person: Person) throws -> Date? {
        guard let text else { return nil }
        do {
            let date = try TimeText.parse(text, zone: app.config.zone(of: person), now: app.clock.now())
            try app.checkIns.notInTheFuture(date, for: person)
            return date
        } catch {
            throw HTTPProblem(.invalidInput, "\(error)", field: key)
        }
    }

    static func scale(_ value: Int, _ key: String) throws -> Int {
        guard (1...5).contains(value) else { throw HTTPProblem(.invalidInput, "\"\(key)\" is a whole number from 1 to 5", field: key) }
        return value
    }
}

extension Components.Schemas.Reading {
    /// A reading as the API shows it, its time in `zone` (the API's: the caller's).
    package init(_ reading: MetricReading, zone: TimeZone) {
        self.init(
            kpi: reading.kpi, value: reading.value, at: TimeText.iso(reading.at, in: zone),
            author: reading.author, origin: reading.origin.flatMap { .init(rawValue: $0.rawValue) })
    }
}

extension Components.Schemas.Entry {
    /// An entry as the API shows it; times carry the author's offset.
    init(_ entry: Entry, _ app: AppContext) throws {
        let zone = app.config.person(entry.person).map(app.config.zone(of:)) ?? Config.zone(app.config.timeZone)
        self.init(
            id: Int(entry.id), ref: entry.displayID, person: entry.person, kind: try .init(sameAs: entry.kind),
            text: entry.text, stage: try entry.stage.map(Components.Schemas.Stage.init(sameAs:)), kpi: entry.kpi,
            at: TimeText.iso(entry.at, in: zone), state: try entry.state.map(StatePayload.init(sameAs:)),
            closedAt: entry.closedAt.map { TimeText.iso($0, in: zone) }, note: entry.note)
    }
}
