import Foundation
import NarrateModel
import NarrateTargets
import NarrateConfig
import NarrateReport

/// What the composition root takes from the process: its environment, its clock, the redactor
/// every output passes through, and the delivery retry base. The `narrate` executable uses the
/// real ones; the test-only `narrate-test-clock` entry point changes the clock and retry base.
public struct Wiring: Sendable {
    public var environment: [String: String]
    public var clock: any WallClock
    /// The first retry wait of a delivery, in seconds (nil: the default policy).
    public var retryBase: TimeInterval?
    public let redactor: Redactor

    public init(
        environment: [String: String] = ProcessInfo.processInfo.environment, clock: any WallClock = SystemClock(),
        retryBase: TimeInterval? = nil, redactor: Redactor = Redactor()
    ) {
        self.environment = environment
        self.clock = clock
        self.retryBase = retryBase
        self.redactor = redactor
    }

    /// The wiring of the command being run.
    @TaskLocal public static var current = Wiring()
}
