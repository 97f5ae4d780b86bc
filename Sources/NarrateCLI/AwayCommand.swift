import ArgumentParser
import Foundation
import NarrateAPI
import NarrateModel
import NarrateTargets
import NarrateConfig
import NarrateReport

struct AwayCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "away", abstract: "Days away (not counted as missing): record, list or cancel them.",
        subcommands: [AwayAddCommand.self, AwayListCommand.self, AwayCancelCommand.self], defaultSubcommand: AwayAddCommand.self)
}

struct AwayAddCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "add", abstract: "Record days away.")

    @OptionGroup var global: GlobalOptions

    @Argument(help: "Person id (default: you, by $USER).")
    var person: String?

    @Option(name: .customLong("as"), help: "Person id, as the argument may give it (someone else: admins only).")
    var asPerson: String?

    @Option(help: "First day away, YYYY-MM-DD.")
    var from: String

    @Option(help: "Last day away, YYYY-MM-DD.")
    var to: String

    func run() async throws {
        if let daemon = try global.daemon() {
            let body = Operations.RecordAbsence.Input.Body.JsonPayload(
                from: try LocalDate(parsing: from).description, to: try LocalDate(parsing: to).description)
            let absence = try await daemon.api(as: named) { try await $0.recordAbsence(body: .json(body)).created.body.json }
            return Console.out(Self.line(try Absence(absence)))
        }
        let context = try await global.context()
        let person = try global.caller(context, as: named).person
        let absence = try await context.checkIns.away(person, from: try LocalDate(parsing: from), to: try LocalDate(parsing: to))
        Console.out(Self.line(absence))
    }

    func validate() throws {
        if let person, let asPerson, person != asPerson { throw ValidationError("the person is \(person) or --as \(asPerson), not both") }
    }

    /// The person named, by argument or `--as`.
    var named: String? { person ?? asPerson }

    static func line(_ absence: Absence) -> String {
        "\(absence.person) away \(absence.from) to \(absence.to) (id \(absence.id))"
    }
}

struct AwayListCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "list", abstract: "Days away, from a day on (default today).")

    @OptionGroup var global: GlobalOptions

    @Argument(help: "Only this person.")
    var person: String?

    @Option(help: "From this day on, YYYY-MM-DD (default today).")
    var since: String?

    @Flag(help: "Print JSON.")
    var json = false

    func run() async throws {
        if let daemon = try global.daemon() {
            let query = Operations.ListAbsences.Input.Query(
                since: try since.map { try LocalDate(parsing: $0).description }, person: try person.map { try daemon.config.requirePerson($0).id })
            let answer = try await daemon.api { try await $0.listAbsences(query: query).ok.body.json }
            return try show(try answer.absences.map(Absence.init), since: try LocalDate(parsing: answer.since))
        }
        let context = try await global.context(reading: true)
        let person = try person.map(context.config.requirePerson)
        let first = try since.map(LocalDate.init(parsing:))
            ?? LocalDate(global.wiring.clock.now(), in: Config.zone(context.config.timeZone))
        try await show(try context.checkIns.absences(of: person, from: first, visibleTo: global.requester(context)), since: first)
    }

    func show(_ absences: [Absence], since first: LocalDate) throws {
        if json { return try Console.json(absences) }
        if absences.isEmpty { Console.out("nobody is away from \(first) on") }
        for absence in absences { Console.out("\(absence.id)  \(absence.person)  \(absence.from) to \(absence.to)") }
    }
}

struct AwayCancelCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "cancel", abstract: "Cancel recorded days away.")

    @OptionGroup var global: GlobalOptions

    @Argument(help: "Absence id from `narrate away list`.")
    var id: Int64

    @Option(name: .customLong("as"), help: "Act for this person (admins only).")
    var person: String?

    func run() async throws {
        if let daemon = try global.daemon() {
            let absence = try await daemon.api(as: person) { try await $0.cancelAbsence(path: .init(id: Int(id))).ok.body.json }
            return Self.cancelled(try Absence(absence))
        }
        let context = try await global.context()
        let caller = try global.caller(context, as: person)
        await Self.cancelled(try context.checkIns.cancelAbsence(id, by: caller))
    }

    static func cancelled(_ absence: Absence) {
        Console.out("cancelled: \(absence.person) away \(absence.from) to \(absence.to)")
    }
}

extension Absence {
    /// An absence as the daemon's API answers it (`/v1/absences`).
    init(_ absence: Components.Schemas.Absence) throws {
        self.init(id: Int64(absence.id), person: absence.person, from: try LocalDate(parsing: absence.from), to: try LocalDate(parsing: absence.to))
    }
}
