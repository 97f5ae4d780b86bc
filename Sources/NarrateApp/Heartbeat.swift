import Foundation
import Synchronization

/// The scheduler's pulse, for `/healthz`: when it last looked at the schedules, when it means
/// to look next, and how many looks in a row failed.
public final class Heartbeat: Sendable {
    public struct Beat: Sendable, Equatable {
        public var at: Date
        public var next: Date
        public var failures: Int
    }

    private let last = Mutex<Beat?>(nil)

    public init() {}

    public func beat(at: Date, next: Date, failures: Int) {
        last.withLock { $0 = Beat(at: at, next: next, failures: failures) }
    }

    public var lastBeat: Beat? { last.withLock { $0 } }
}
