import NarrateAPI
import ArgumentParser
import NarrateModel
import NarrateTargets
import NarrateConfig
import NarrateReport

/// `edit`, `delete` and `undo`: people fix their own entries; an admin may fix anyone's with `--as`.
struct EditCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "edit", abstract: "Replace the text of one of your entries.")

    @OptionGroup var global: GlobalOptions

    @Argument(help: "Entry id, e.g. P-3.")
    var id: String

    @Argument(help: "The new text.")
    var text: String

    @Option(name: .customLong("as"), help: "Act for this person (admins only).")
    var person: String?

    func run() async throws {
        if let daemon = try global.daemon() {
            let reference = try EntryReference(parsing: id)
            let entry = try await daemon.api(as: person) {
                try await $0.changeEntry(path: .init(id: "\(reference)"), body: .json(.init(text: text))).ok.body.json
            }
            return Console.out("\(entry.ref) edited (narrate undo takes it back)")
        }
        let context = try await global.context()
        let caller = try global.caller(context, as: person)
        let entry = try await context.checkIns.edit(try EntryReference(parsing: id), text: text, by: caller)
        Console.out("\(entry.displayID) edited (narrate undo takes it back)")
    }
}

struct DeleteCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "delete", abstract: "Delete one of your entries (narrate undo brings it back).")

    @OptionGroup var global: GlobalOptions

    @Argument(help: "Entry id, e.g. B-12.")
    var id: String

    @Option(name: .customLong("as"), help: "Act for this person (admins only).")
    var person: String?

    func run() async throws {
        if let daemon = try global.daemon() {
            let reference = try EntryReference(parsing: id)
            let entry = try await daemon.api(as: person) { try await $0.deleteEntry(path: .init(id: "\(reference)")).ok.body.json.value1 }
            return Console.out("\(entry.ref) deleted (narrate undo brings it back)")
        }
        let context = try await global.context()
        let caller = try global.caller(context, as: person)
        let entry = try await context.checkIns.delete(try EntryReference(parsing: id), by: caller)
        Console.out("\(entry.displayID) deleted (narrate undo brings it back)")
    }
}

struct UndoCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "undo", abstract: "Take back your latest edit or delete.")

    @OptionGroup var global: GlobalOptions

    @Option(name: .customLong("as"), help: "Act for this person (admins only).")
    var person: String?

    func run() async throws {
        if let daemon = try global.daemon() {
            let answer = try await daemon.api(as: person) { try await $0.undo().ok.body.json }
            return Console.out("\(answer.entry.ref) \(answer.undone == .edit ? "has its earlier text again" : "is back")")
        }
        let context = try await global.context()
        let caller = try global.caller(context, as: person)
        let (entry, change) = try await context.checkIns.undo(by: caller)
        Console.out("\(entry.displayID) \(change.action == .edit ? "has its earlier text again" : "is back")")
    }
}
