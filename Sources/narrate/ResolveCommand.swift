import ArgumentParser
import NarrateKit

struct ResolveCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "resolve", abstract: "Mark a blocker resolved.")

    @OptionGroup var global: GlobalOptions

    @Argument(help: "Blocker id, e.g. B-12.")
    var id: String

    @Option(help: "How it was unblocked.")
    var note: String?

    func run() throws {
        let entry = try global.workspace().close(id, as: .resolved, note: note)
        print("\(entry.displayID) resolved")
    }
}
