import Foundation
import Logging
import NarrateModel
import NarrateConfig
import NarrateReport
import NarrateTargets
import NarrateDelivery
import NarrateSources
import NarrateStore

/// What every use case works with, wired once by the composition root (the executable): the
/// config, the store behind its protocols, the sources, the compiled templates, the clock, the
/// secrets and their redactor, the HTTP transport and the log.
///
/// Nothing here reads the environment, `$USER` or the wall clock on its own.
public struct AppContext: Sendable {
    public let config: Config
    public let store: any Storage
    public let stateDir: String
    public let logger: Logger
    public let clock: any WallClock
    public let secrets: SecretResolver
    public let transport: any HTTPTransport
    /// Templates compiled once per process (and again on reload).
    public let renderer: ReportRenderer
    /// Where reports' material comes from; the store first.
    public let sources: [any Source]
    /// The retry policy of deliveries.
    public var policy: RetryPolicy
    /// Where `stdout` targets write.
    public let output: @Sendable (String) -> Void

    public init(
        config: Config, store: any Storage, stateDir: String, logger: Logger, clock: any WallClock,
        secrets: SecretResolver, transport: any HTTPTransport, renderer: ReportRenderer, sources: [any Source]? = nil,
        policy: RetryPolicy = RetryPolicy(), output: @escaping @Sendable (String) -> Void
    ) {
        self.config = config
        self.store = store
        self.stateDir = stateDir
        self.logger = logger
        self.clock = clock
        self.secrets = secrets
        self.transport = transport
        self.renderer = renderer
        self.sources = sources ?? [StoreSource(store: store)]
        self.policy = policy
        self.output = output
    }

    public var redactor: Redactor { secrets.redactor }

    /// The same context with another config and its templates (a reload).
    public func replacing(config: Config, renderer: ReportRenderer) -> AppContext {
        AppContext(
            config: config, store: store, stateDir: stateDir, logger: logger, clock: clock, secrets: secrets,
            transport: transport, renderer: renderer, sources: sources, policy: policy, output: output)
    }

    public var checkIns: CheckIns { CheckIns(context: self) }
    public var metrics: Metrics { Metrics(context: self) }
    public var pipeline: ReportPipeline { ReportPipeline(context: self) }
    public var reports: Reports { Reports(context: self) }
    public var deliveries: Deliveries { Deliveries(context: self) }
    public var schedules: Schedules { Schedules(context: self) }
    public var historyQuery: HistoryQuery { HistoryQuery(context: self) }
    public var tokens: Tokens { Tokens(context: self) }
    public var notices: Notices { Notices(context: self) }
    public var sourceRuns: SourceRuns { SourceRuns(context: self) }
    public var teamPage: TeamPage { TeamPage(context: self) }
    public var health: Health { Health(context: self) }
    public var doctor: Doctor { Doctor(context: self) }
    public var slots: Slots { Slots(context: self) }
    public var replays: Replays { Replays(context: self) }

    /// The courier over this context's outbox, transport and secrets.
    public var courier: Courier {
        var courier = Courier(
            outbox: store, config: config, transport: transport, secrets: secrets, stateDir: stateDir, logger: logger,
            policy: policy, clock: clock, output: output)
        let tokens = self.tokens
        courier.checkInLink = { person, until in try await tokens.link(for: person, until: until) }
        return courier
    }
}
