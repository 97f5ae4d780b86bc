import Foundation
import NarrateModel
import NarrateConfig
import NarrateReport
import NarrateTargets
import NarrateStore

/// What `narrate schedule` prints for a configured schedule.
public struct ScheduleStatus: Sendable, Codable {
    public var id: String
    public var team: String
    public var cron: String
    public var timezone: String
    public var next: String?
    /// When the next slot's reminders go out (before each person's quiet hours move theirs).
    public var reminders: [String]?
    public var lastRun: String?
    public var lastState: String?
}

/// The configured schedules: when each fires next and how it last ran.
public struct Schedules: Sendable {
    let context: AppContext

    public func status() async throws -> [ScheduleStatus] {
        let now = context.clock.now()
        return try await context.config.schedules.asyncMap { schedule in
            let zone = context.config.zone(of: schedule)
            let next = CronSchedule(cron: schedule.cron, zone: zone).next(after: now).first
            let last = try await context.store.lastRun(schedule: schedule.id)
            let reminders = next.map { slot in
                [schedule.remindBefore, schedule.remindAgain].compactMap { $0 }
                    .map { TimeText.iso(slot.addingTimeInterval(-TimeInterval($0)), in: zone) }
            }
            return ScheduleStatus(
                id: schedule.id, team: schedule.team, cron: schedule.cron.source, timezone: zone.identifier,
                next: next.map { TimeText.iso($0, in: zone) }, reminders: reminders?.isEmpty == false ? reminders : nil, lastRun: last.map { TimeText.iso($0.slot, in: zone) },
                lastState: last?.state.rawValue)
        }
    }
}
