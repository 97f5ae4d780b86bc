import ArgumentParser
import Foundation
import NarrateApp
import NarrateModel
import NarrateTargets
import NarrateConfig
import NarrateReport
import NarrateHTTP
import ServiceLifecycle

struct ServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Run only the check-in service ([http] and the local socket); `narrate run` runs it too.")

    @OptionGroup var global: GlobalOptions

    func run() async throws {
        let context = try await global.context(everyWarning: true)
        let socket = global.daemonSocket(context.config)
        guard context.config.http != nil || socket != nil else {
            throw NarrateError(.invalidInput, "nothing to serve: add an [http] table (listen = \"127.0.0.1:8470\") or a socket to \(global.configPath)")
        }
        _ = ServiceMetrics.registry
        let server = CheckInServer(current: { context }, rate: context.config.http?.rate ?? HTTPSettings().rate)
        let services = try server.services(settings: context.config.http, socket: socket, logger: context.logger)
        var configuration = ServiceGroupConfiguration(services: services.map { .init(service: $0) }, logger: context.logger)
        configuration.gracefulShutdownSignals = [.sigterm, .sigint]
        try await ServiceGroup(configuration: configuration).run()
        context.logger.notice("stopped")
    }
}

extension GlobalOptions {
    /// Where the daemon (or `serve`) listens for local check-ins: `[http] socket`, else
    /// `$RUNTIME_DIRECTORY/narrate.sock` under systemd.
    func daemonSocket(_ config: Config) -> String? {
        if let socket = config.http?.socket { return socket }
        guard let runtime = wiring.environment["RUNTIME_DIRECTORY"]?.split(separator: ":").first, !runtime.isEmpty else { return nil }
        return runtime + "/narrate.sock"
    }
}
