import ArgumentParser
import NarrateCore

struct AwayCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "away", abstract: "Days away (not counted as missing): record, list or cancel them.",
        subcommands: [AwayAddCommand.self, AwayListCommand.self, AwayCancelCommand.self], defaultSubcommand: AwayAddCommand.self)
}

struct AwayAddCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "add", abstract: "Record days away.")

    @OptionGroup var global: GlobalOptions

    @Argument(help: "Person id (default: you, by $USER).")
    var person: String?

    @Option(help: "First day away, YYYY-MM-DD.")
    var from: String

    @Option(help: "Last day away, YYYY-MM-DD.")
    var to: String

    func run() throws {
        let context = try global.context()
        let person = try global.caller(context, as: person).person
        let absence = try context.checkIns.away(person, from: try LocalDate(parsing: from), to: try LocalDate(parsing: to))
        Console.out("\(absence.person) away \(absence.from) to \(absence.to) (id \(absence.id))")
    }
}

struct AwayListCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "list", abstract: "Days away, from a day on (default today).")

    @OptionGroup var global: GlobalOptions

    @Argument(help: "Only this person.")
    var person: String?

    @Option(help: "From this day on, YYYY-MM-DD (default today).")
    var since: String?

    @Flag(help: "Print JSON.")
    var json = false

    func run() throws {
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

struct AwayCancelCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "cancel", abstract: "Cancel recorded days away.")

    @OptionGroup var global: GlobalOptions

    @Argument(help: "Absence id from `narrate away list`.")
    var id: Int64

    @Option(name: .customLong("as"), help: "Act for this person (admins only).")
    var person: String?

    func run() throws {
        let context = try global.context()
        let caller = try global.caller(context, as: person, adminForAs: true)
        let absence = try context.checkIns.cancelAbsence(id, by: caller)
        Console.out("cancelled: \(absence.person) away \(absence.from) to \(absence.to)")
    }
}
