import Foundation

/// What `narrate schedule` prints for a configured schedule.
public struct ScheduleStatus: Sendable, Encodable {
    public var id: String
    public var team: String
    public var cron: String
    public var timezone: String
    public var next: String?
    public var lastRun: String?
    public var lastState: String?
}

extension Workspace {
    /// The zone a schedule is evaluated in: its own, else its team's, else the config's.
    public func zone(of schedule: Schedule) -> TimeZone {
        if let zone = schedule.timeZone { return Config.zone(zone) }
        return config.zone(ofTeam: schedule.team)
    }

    public func scheduleStatus(now: Date = Date()) throws -> [ScheduleStatus] {
        try config.schedules.map { schedule in
            let zone = zone(of: schedule)
            let next = CronSchedule(cron: schedule.cron, zone: zone).next(after: now).first
            let last = try store.lastRun(schedule: schedule.id)
            return ScheduleStatus(
                id: schedule.id, team: schedule.team, cron: schedule.cron.source, timezone: zone.identifier,
                next: next.map { TimeText.iso($0, in: zone) }, lastRun: last.map { TimeText.iso($0.slot, in: zone) },
                lastState: last?.state.rawValue)
        }
    }
}

extension CronSchedule {
    /// `narrate schedule --cron … --tz … --from … --count …`.
    public static func fireTimes(cron: String, zone: String, from: String, count: Int) throws -> [String] {
        let expression = try CronExpression(cron)
        guard TimeZoneCheck.isValid(zone), let timeZone = TimeZone(identifier: zone) else {
            throw NarrateError("\"\(zone)\" is not an IANA time zone")
        }
        guard count > 0 else { throw NarrateError("--count must be at least 1") }
        let start = try TimeText.parse(from, zone: timeZone)
        return CronSchedule(cron: expression, zone: timeZone).next(after: start, count: count).map { TimeText.iso($0, in: timeZone) }
    }
}
