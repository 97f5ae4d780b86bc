import NarrateAPI
import ArgumentParser
import NarrateApp
import NarrateModel
import NarrateTargets
import NarrateConfig
import NarrateReport

/// `resolve`, `done` and `drop`: close a blocker or next action.
struct CloseOptions: ParsableArguments {
    @Argument(help: "Entry id, e.g. B-12 or N-7.")
    var id: String

    @Option(parsing: .unconditional, help: "When it happened (default now), e.g. yesterday, -2h, \"mon 17:00\", 2026-11-20T09:30+08:00.")
    var at: String?

    /// The closed entry's id.
    func close(_ global: GlobalOptions, as state: Entry.State, note: String?) async throws -> String {
        if let daemon = try global.daemon() {
            let reference = try EntryReference(parsing: id)
            if at != nil {
                throw NarrateError(.invalidInput, "--at is not sent to the daemon; close it now, or with --state-dir on a store of your own")
            }
            let body = Components.Schemas.EntryChange(state: try .init(sameAs: state), note: note)
            return try await daemon.api { try await $0.changeEntry(path: .init(id: "\(reference)"), body: .json(body)).ok.body.json.ref }
        }
        let context = try await global.context()
        let zone = global.user(context.config).map(context.config.zone(of:)) ?? Config.zone(context.config.timeZone)
        return try await context.checkIns.close(
            try EntryReference(parsing: id), as: state, note: note, at: try global.time(at, in: zone), by: global.requester(context)
        ).displayID
    }
}

struct ResolveCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "resolve", abstract: "Mark a blocker resolved.")

    @OptionGroup var global: GlobalOptions
    @OptionGroup var entry: CloseOptions

    @Option(help: "How it was unblocked.")
    var note: String?

    func run() async throws {
        Console.out("\(try await entry.close(global, as: .resolved, note: note)) resolved")
    }
}

struct DoneCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "done", abstract: "Mark a next action done.")

    @OptionGroup var global: GlobalOptions
    @OptionGroup var entry: CloseOptions

    func run() async throws {
        Console.out("\(try await entry.close(global, as: .done, note: nil)) done")
    }
}

struct DropCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "drop", abstract: "Drop a next action or blocker that no longer matters.")

    @OptionGroup var global: GlobalOptions
    @OptionGroup var entry: CloseOptions

    @Option(help: "Why it was dropped.")
    var note: String?

    func run() async throws {
        Console.out("\(try await entry.close(global, as: .dropped, note: note)) dropped")
    }
}
