import ArgumentParser
import Foundation
import NarrateCore

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

    @Option(help: "First day away, YYYY-MM-DD.")
    var from: String

    @Option(help: "Last day away, YYYY-MM-DD.")
    var to: String

    func run() async throws {
        if let daemon = try global.daemon() {
            let object = try await daemon.call(
                "POST", "/v1/absences", body: ["from": try LocalDate(parsing: from).description, "to": try LocalDate(parsing: to).description],
                as: person)
            return Console.out(Self.line(object))
        }
        let context = try global.context()
        let person = try global.caller(context, as: person).person
        let absence = try context.checkIns.away(person, from: try LocalDate(parsing: from), to: try LocalDate(parsing: to))
        Console.out("\(absence.person) away \(absence.from) to \(absence.to) (id \(absence.id))")
    }

    /// The daemon's answer, as the local command prints it.
    static func line(_ object: [String: Any]) -> String {
        "\(object["person"] ?? "") away \(object["from"] ?? "") to \(object["to"] ?? "") (id \(object["id"] ?? ""))"
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
            var query: [String] = []
            if let person { query.append("person=\(try daemon.config.requirePerson(person).id)") }
            if let since { query.append("since=\(try LocalDate(parsing: since).description)") }
            let object = try await daemon.call("GET", "/v1/absences" + (query.isEmpty ? "" : "?" + query.joined(separator: "&")))
            let list = object["absences"] as? [[String: Any]] ?? []
            if json { return try Console.json(list.map { AbsenceJSON(object: $0) }) }
            if list.isEmpty { Console.out("nobody is away from \(object["since"] ?? "today") on") }
            for absence in list { Console.out("\(absence["id"] ?? "")  \(absence["person"] ?? "")  \(absence["from"] ?? "") to \(absence["to"] ?? "")") }
            return
        }
        let context = try global.context()
        let person = try person.map(context.config.requirePerson)
        let first = try since.map(LocalDate.init(parsing:))
            ?? LocalDate(global.wiring.clock.now(), in: Config.zone(context.config.timeZone))
        let absences = try context.checkIns.absences(of: person, from: first)
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
            let object = try await daemon.call("DELETE", "/v1/absences/\(id)", as: person)
            return Console.out("cancelled: \(object["person"] ?? "") away \(object["from"] ?? "") to \(object["to"] ?? "")")
        }
        let context = try global.context()
        let caller = try global.caller(context, as: person, adminForAs: true)
        let absence = try context.checkIns.cancelAbsence(id, by: caller)
        Console.out("cancelled: \(absence.person) away \(absence.from) to \(absence.to)")
    }
}

/// An absence read back from the daemon, printed by `away list --json` as the local command prints one.
struct AbsenceJSON: Encodable {
    let id: Int64
    let person: String
    let from: String
    let to: String

    init(object: [String: Any]) {
        id = (object["id"] as? NSNumber)?.int64Value ?? 0
        person = object["person"] as? String ?? ""
        from = object["from"] as? String ?? ""
        to = object["to"] as? String ?? ""
    }
}
