import ArgumentParser
import NarrateKit

struct DropCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "drop", abstract: "Drop a next action or blocker that no longer matters.")

    @OptionGroup var global: GlobalOptions

    @Argument(help: "Entry id, e.g. N-7 or B-12.")
    var id: String

    @Option(help: "Why it was dropped.")
    var note: String?

    func run() throws {
        let entry = try global.workspace().close(id, as: .dropped, note: note)
        print("\(entry.displayID) dropped")
    }
}
