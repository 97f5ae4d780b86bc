import ArgumentParser
import NarrateKit

struct InitCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "init", abstract: "Write an example config and create the state directory.")

    @OptionGroup var global: GlobalOptions

    @Flag(help: "Overwrite an existing config file.")
    var force = false

    func run() throws {
        let result = try Setup.initialize(configPath: global.configPath, stateDirFlag: global.stateDir, overwrite: force)
        print("wrote \(result.configPath)")
        print("state directory \(result.stateDir)")
    }
}
