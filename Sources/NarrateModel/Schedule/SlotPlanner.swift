import Foundation

/// What to do with the slots of one schedule that came due since the scheduler last looked.
///
/// The newest due slot runs when it is younger than `catch_up` (late, after downtime or a clock
/// jump, or simply on time); every other due slot is recorded as skipped, never silently dropped.
public enum SlotPlanner {
    public struct Decision: Sendable, Equatable {
        public var run: Date?
        public var skipped: [Date]
    }

    /// `due` ascending; `now` the scheduler's time.
    public static func decide(due: [Date], now: Date, catchUp: TimeInterval) -> Decision {
        guard let newest = due.last else { return Decision(run: nil, skipped: []) }
        if now.timeIntervalSince(newest) < max(catchUp, 60) {
            return Decision(run: newest, skipped: Array(due.dropLast()))
        }
        return Decision(run: nil, skipped: due)
    }
}
