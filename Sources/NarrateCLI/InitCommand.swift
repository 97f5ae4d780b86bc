import ArgumentParser
import NarrateApp
import NarrateStore

struct InitCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "init", abstract: "Write an example config and create the state directory.")

    @OptionGroup var global: GlobalOptions

    @Flag(help: "Overwrite an existing config file.")
    var force = false

    func run() async throws {
        let stateDir = StateDirectory.resolve(flag: global.stateDir, environment: global.wiring.environment)
        let result = try Setup.initialize(
            configPath: global.configPath, stateDir: stateDir, overwrite: force, recorded: global.stateDir != nil)
        Console.out("wrote \(result.configPath)")
        Console.out("state directory \(result.stateDir)")
    }
}
