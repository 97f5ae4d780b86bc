import ArgumentParser
import NarrateDaemon
import NarrateDelivery
import NarrateHTTP

struct RunCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Run the daemon: fire every schedule, deliver the outbox; SIGHUP reloads, SIGTERM stops.")

    @OptionGroup var global: GlobalOptions

    func run() async throws {
        let environment = global.wiring.environment
        let transport = CurlTransport()
        // READY only once the config is valid and the store is open: both throw before this point.
        let context = try await global.context(transport: transport, everyWarning: true)
        let daemon = Daemon(
            context: context, configPath: global.configPath, clock: global.wiring.clock,
            notifier: SystemdNotifier(environment: environment),
            watchdogInterval: SystemdNotifier.watchdogInterval(environment: environment), foundations: [transport],
            socket: global.daemonSocket(context.config))
        _ = ServiceMetrics.registry
        try await daemon.run()
    }
}
