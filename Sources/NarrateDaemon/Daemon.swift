import Foundation
import Logging
import NarrateApp
import NarrateModel
import NarrateHTTP
import NarrateStore
import ServiceLifecycle

/// `narrate run`: the scheduler, the delivery worker, reload on SIGHUP and the systemd
/// watchdog as services in one `ServiceGroup`, with the HTTP transport (and any other service
/// the composition root adds) running beside them; SIGTERM and SIGINT shut down gracefully.
public struct Daemon: Sendable {
    /// How long in-flight work may take after SIGTERM before it is cancelled.
    public static let shutdownGrace: Duration = .seconds(20)

    let context: AppContext
    let configPath: String
    /// The scheduler's clock (a test entry point may run it faster).
    let clock: any WallClock
    let notifier: SystemdNotifier
    let watchdogInterval: TimeInterval?
    /// Services the others depend on (the HTTP transport): started first, stopped last.
    let foundations: [any Service]
    /// The daemon's local socket for check-ins from the server's shell (nil: none).
    let socket: String?

    public init(
        context: AppContext, configPath: String, clock: any WallClock, notifier: SystemdNotifier,
        watchdogInterval: TimeInterval?, foundations: [any Service], socket: String? = nil
    ) {
        self.socket = socket
        self.context = context
        self.configPath = configPath
        self.clock = clock
        self.notifier = notifier
        self.watchdogInterval = watchdogInterval
        self.foundations = foundations
    }

    public func run() async throws {
        let logger = context.logger
        let state = DaemonState(context: context, configPath: configPath)
        let wake = Wakeup()
        // Work another process queues: announced by a shared store, else seen in the SQLite
        // file's write-ahead log.
        let announcing = context.store as? any OutboxAnnouncing
        let deliveries = Wakeup(watching: announcing == nil ? context.stateDir + "/narrate.sqlite-wal" : nil)
        let heartbeat = Heartbeat()
        // A service group shuts its services down in reverse order: foundations go last, so
        // requests in flight can finish.
        var services: [ServiceGroupConfiguration.ServiceConfiguration] = foundations.map { .init(service: $0) }
        services += [
            .init(service: SchedulerService(
                state: state, clock: clock, logger: logger, wake: wake, deliveries: deliveries, notifier: notifier,
                heartbeat: heartbeat), serviceName: "scheduler"),
            .init(service: DeliveryService(state: state, logger: logger, kick: deliveries), serviceName: "delivery"),
            .init(service: ReloadService(state: state, logger: logger, notifier: notifier, wakeScheduler: wake), serviceName: "reload"),
        ]
        if let announcing {
            services.append(.init(service: OutboxWatchService(store: announcing, deliveries: deliveries), serviceName: "outbox-watch"))
        }
        if let watchdogInterval {
            services.append(.init(service: WatchdogService(notifier: notifier, interval: watchdogInterval), serviceName: "watchdog"))
        }
        // The check-in service goes last, so it stops taking requests first.
        if context.config.http != nil || socket != nil {
            let server = CheckInServer(
                current: { await state.context }, rate: context.config.http?.rate ?? HTTPSettings().rate, heartbeat: heartbeat)
            for service in try server.services(settings: context.config.http, socket: socket, logger: logger) {
                services.append(.init(service: service, serviceName: "check-ins"))
            }
        }
        var configuration = ServiceGroupConfiguration(services: services, logger: logger)
        configuration.gracefulShutdownSignals = [.sigterm, .sigint]
        configuration.maximumGracefulShutdownDuration = Self.shutdownGrace
        let group = ServiceGroup(configuration: configuration)

        let schedules = context.config.schedules.map(\.id).joined(separator: ", ")
        notifier.send("READY=1\nSTATUS=running \(context.config.schedules.count) schedule(s)")
        logger.notice("narrate \(NarrateVersion.string) running with \(context.store.location): \(schedules)")
        try await group.run()
        logger.notice("stopped")
    }
}
