import ArgumentParser
import NarrateApp
import NarrateCore

/// `resolve`, `done` and `drop`: close a blocker or next action.
struct CloseOptions: ParsableArguments {
    @Argument(help: "Entry id, e.g. B-12 or N-7.")
    var id: String

    @Option(help: "When it happened (default now), e.g. yesterday, -2h, \"mon 17:00\", 2026-11-20T09:30+08:00.")
    var at: String?

    func close(_ global: GlobalOptions, as state: Entry.State, note: String?) throws -> Entry {
        let context = try global.context()
        let zone = global.user(context.config).map(context.config.zone(of:)) ?? Config.zone(context.config.timeZone)
        return try context.checkIns.close(try EntryReference(parsing: id), as: state, note: note, at: try global.time(at, in: zone))
    }
}

struct ResolveCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "resolve", abstract: "Mark a blocker resolved.")

    @OptionGroup var global: GlobalOptions
    @OptionGroup var entry: CloseOptions

    @Option(help: "How it was unblocked.")
    var note: String?

    func run() throws {
        Console.out("\(try entry.close(global, as: .resolved, note: note).displayID) resolved")
    }
}

struct DoneCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "done", abstract: "Mark a next action done.")

    @OptionGroup var global: GlobalOptions
    @OptionGroup var entry: CloseOptions

    func run() throws {
        Console.out("\(try entry.close(global, as: .done, note: nil).displayID) done")
    }
}

struct DropCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "drop", abstract: "Drop a next action or blocker that no longer matters.")

    @OptionGroup var global: GlobalOptions
    @OptionGroup var entry: CloseOptions

    @Option(help: "Why it was dropped.")
    var note: String?

    func run() throws {
        Console.out("\(try entry.close(global, as: .dropped, note: note).displayID) dropped")
    }
}
