import Foundation
import Logging
import ServiceLifecycle

/// `narrate run`: the scheduler, the delivery worker, reload on SIGHUP and the systemd
/// watchdog as services in one `ServiceGroup`; SIGTERM and SIGINT shut down gracefully.
public enum Daemon {
    /// How long in-flight work may take after SIGTERM before it is cancelled.
    public static let shutdownGrace: Duration = .seconds(20)

    public static func run(
        configPath: String, stateDirFlag: String?, logger: Logger,
        environment: [String: String] = ProcessInfo.processInfo.environment
    ) async throws {
        let clock = try DaemonClock(environment: environment)
        // READY only once the config is valid and the store is open: both throw before this point.
        let workspace = try Workspace.open(configPath: configPath, stateDirFlag: stateDirFlag, logger: logger)
        let notifier = SystemdNotifier(environment: environment)
        let state = DaemonState(workspace: workspace, configPath: configPath)
        let wake = Wakeup()
        let deliveries = Wakeup()
        var policy = RetryPolicy()
        if let base = environment["NARRATE_RETRY_BASE"].flatMap(Double.init) { policy.base = base }

        var services: [ServiceGroupConfiguration.ServiceConfiguration] = [
            .init(service: SchedulerService(
                state: state, clock: clock, logger: logger, wake: wake, deliveries: deliveries, notifier: notifier), serviceName: "scheduler"),
            .init(service: DeliveryService(state: state, logger: logger, kick: deliveries, policy: policy), serviceName: "delivery"),
            .init(service: ReloadService(state: state, logger: logger, notifier: notifier, wakeScheduler: wake), serviceName: "reload"),
        ]
        if let interval = SystemdNotifier.watchdogInterval(environment: environment) {
            services.append(.init(service: WatchdogService(notifier: notifier, interval: interval), serviceName: "watchdog"))
        }
        var configuration = ServiceGroupConfiguration(services: services, logger: logger)
        configuration.gracefulShutdownSignals = [.sigterm, .sigint]
        configuration.maximumGracefulShutdownDuration = shutdownGrace
        let group = ServiceGroup(configuration: configuration)

        let schedules = workspace.config.schedules.map(\.id).joined(separator: ", ")
        notifier.send("READY=1\nSTATUS=running \(workspace.config.schedules.count) schedule(s)")
        logger.notice("narrate \(NarrateVersion.string) running with \(workspace.store.path): \(schedules)")
        try await group.run()
        logger.notice("stopped")
    }
}
