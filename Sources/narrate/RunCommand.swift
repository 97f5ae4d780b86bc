import ArgumentParser
import NarrateKit

struct RunCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Run the daemon: fire every schedule, deliver the outbox; SIGHUP reloads, SIGTERM stops.")

    @OptionGroup var global: GlobalOptions

    func run() async throws {
        try await Daemon.run(configPath: global.configPath, stateDirFlag: global.stateDir, logger: global.logger)
    }
}
