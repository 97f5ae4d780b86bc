import ArgumentParser
import NarrateKit

struct DoneCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "done", abstract: "Mark a next action done.")

    @OptionGroup var global: GlobalOptions

    @Argument(help: "Next action id, e.g. N-7.")
    var id: String

    func run() throws {
        let entry = try global.workspace().close(id, as: .done)
        print("\(entry.displayID) done")
    }
}
