import Foundation
import NarrateModel
import NarrateConfig
import NarrateReport
import NarrateTargets
import NarrateStore

/// Reminders before a slot, blocker follow-ups and escalations: who gets which message, when,
/// through which of their channels; and sending each exactly once.
///
/// The scheduler asks for what is planned at every tick, sends what is due, and sleeps until the
/// next one; `narrate remind` sends a schedule's reminders at once. A notice's key is recorded in
/// the same transaction that queues its messages, so a restart, a second daemon or a second
/// `remind` never sends it again.
public struct Notices: Sendable {
    let context: AppContext

    /// One notice for one person: when it is due, and the messages it queues.
    public struct Planned: Sendable {
        public var record: NoticeRecord
        public var due: Date
        public var channels: [Channel]
        public var markdown: String
        public var messages: [QueuedReport]
    }

    // MARK: reminders

    /// The reminders of `schedule` for its next slot after `now` (each person's due time moved
    /// out of their quiet hours; those that would land at or after the slot are left out).
    /// With `manual`, one reminder per person due now, for `narrate remind`.
    public func reminders(for schedule: Schedule, now: Date, manual: Bool = false) async throws -> [Planned] {
        guard manual || schedule.remindBefore != nil else { return [] }
        let zone = context.config.zone(of: schedule)
        let cron = CronSchedule(cron: schedule.cron, zone: zone)
        guard let slot = cron.next(after: now).first else { return [] }
        var rounds: [(name: String, offset: TimeInterval)] = []
        if manual {
            rounds = [("manual", slot.timeIntervalSince(now))]
        } else {
            guard let before = schedule.remindBefore, slot.timeIntervalSince(now) <= TimeInterval(before) else { return [] }
            rounds.append(("1", TimeInterval(before)))
            if let again = schedule.remindAgain { rounds.append(("2", TimeInterval(again))) }
        }
        let team = try context.config.requireTeam(schedule.team)
        let period = try await context.pipeline.plan(schedule: schedule, slot: slot).period
        let written = Set(try await context.store.entries(from: period.start, to: max(now, period.start).addingTimeInterval(1), persons: team.members).map(\.person))
        let away = try await context.store.absences(overlapping: LocalDate(now, in: zone), LocalDate(slot, in: zone))
        var planned: [Planned] = []
        for person in team.members.compactMap(context.config.person) where !written.contains(person.id) {
            let personZone = context.config.zone(of: person)
            for round in rounds {
                let due = manual ? now : allowed(slot.addingTimeInterval(-round.offset), for: person)
                guard due < slot else {
                    context.logger.info("reminder \(round.name) for \(person.id) falls in their quiet hours until after the slot; not sent")
                    continue
                }
                let day = LocalDate(due, in: personZone)
                if away.contains(where: { $0.person == person.id && $0.from <= day && day <= $0.to }) { continue }
                let locale = team.locale ?? context.config.locale
                let markdown = try context.renderer.notice("reminder", locale: locale, [
                    "name": person.name, "team": team.name, "when": TimeText.short(slot, in: personZone) + " (\(personZone.identifier))",
                    "again": round.name == "2", "hasLink": context.config.http?.publicURL != nil, "link": CheckInLink.placeholder,
                ])
                let key = "remind:\(schedule.id):\(TimeText.iso(slot, in: .gmt)):\(round.name):\(person.id)"
                await planned.append(try plan(
                    key: key, kind: .reminder, to: person, team: team, schedule: schedule.id, periodStart: period.start, periodEnd: slot,
                    due: due, markdown: markdown))
            }
        }
        return planned
    }

    /// The earliest moment a reminder of any schedule could come due after `now` (before quiet
    /// hours move it later): the scheduler does not sleep past it.
    public func nextReminderWindow(after now: Date) -> Date? {
        context.config.schedules.compactMap { schedule -> Date? in
            guard let before = schedule.remindBefore else { return nil }
            let cron = CronSchedule(cron: schedule.cron, zone: context.config.zone(of: schedule))
            return cron.next(after: now, count: 2).map { $0.addingTimeInterval(-TimeInterval(before)) }.first { $0 > now }
        }.min()
    }

    // MARK: blockers

    /// Follow-ups to owners of blockers open `follow_up_after`, and escalations to the team's
    /// manager for those open `escalate_after`, due now or later.
    public func followUps(now: Date) async throws -> [Planned] {
        var planned: [Planned] = []
        for team in context.config.teams where team.followUpAfter != nil || team.manager != nil {
            let locale = team.locale ?? context.config.locale
            let format = LocaleFormat(locale: locale)
            let open = try await context.store.followedEntries(openDuring: now, now, persons: team.members)
                .filter { $0.kind == .blocker && $0.state == .open }
            // A notice recorded once is never sent again: skip rendering it at every tick.
            let recorded = try await context.store.recordedNotices(open.flatMap { ["follow-up:\($0.id)", "escalate:\($0.id)"] })
            for blocker in open {
                guard let owner = context.config.person(blocker.person) else { continue }
                let stage = blocker.stage.map(format.stage) ?? ""
                if let after = team.followUpAfter, !recorded.contains("follow-up:\(blocker.id)") {
                    let due = allowed(blocker.at.addingTimeInterval(TimeInterval(after)), for: owner)
                    let markdown = try context.renderer.notice("follow-up", locale: locale, [
                        "name": owner.name, "id": blocker.displayID, "text": blocker.text, "stage": stage,
                        "age": format.duration(max(due, now).timeIntervalSince(blocker.at)),
                        "hasLink": context.config.http?.publicURL != nil, "link": CheckInLink.placeholder,
                    ])
                    await planned.append(try plan(
                        key: "follow-up:\(blocker.id)", kind: .followUp, to: owner, team: team, schedule: nil, periodStart: blocker.at,
                        periodEnd: due, due: due, markdown: markdown))
                }
                if let managerID = team.manager, let manager = context.config.person(managerID), !recorded.contains("escalate:\(blocker.id)") {
                    let due = allowed(blocker.at.addingTimeInterval(TimeInterval(team.escalateAfter)), for: manager)
                    let markdown = try context.renderer.notice("escalation", locale: locale, [
                        "name": manager.name, "owner": owner.name, "team": team.name, "id": blocker.displayID, "text": blocker.text,
                        "stage": stage, "age": format.duration(max(due, now).timeIntervalSince(blocker.at)),
                        "limit": format.duration(TimeInterval(team.escalateAfter)),
                    ])
                    await planned.append(try plan(
                        key: "escalate:\(blocker.id)", kind: .escalation, to: manager, team: team, schedule: nil, periodStart: blocker.at,
                        periodEnd: due, due: due, markdown: markdown))
                }
            }
        }
        return planned
    }

    // MARK: sending

    /// Claims and queues each planned notice; returns those claimed now (not before). A person
    /// without channels is claimed too, so the log says so once, not at every tick.
    @discardableResult
    public func send(_ planned: [Planned], now: Date) async throws -> [Planned] {
        var sent: [Planned] = []
        for notice in planned where try await context.store.claim(notice.record, queueing: notice.messages, now: now) {
            if notice.channels.isEmpty {
                context.logger.notice("\(notice.record.kind.rawValue) for \(notice.record.person) not sent: they have no channel (notify = [...] in the config)")
            } else {
                context.logger.info("\(notice.record.kind.rawValue) for \(notice.record.person) queued to \(notice.channels.map(\.description).joined(separator: ", "))")
            }
            sent.append(notice)
        }
        return sent
    }

    /// Everything planned for the daemon's tick: each schedule's reminders and the blockers'
    /// follow-ups.
    public func planned(now: Date) async throws -> [Planned] {
        try await context.config.schedules.asyncFlatMap { try await reminders(for: $0, now: now) } + followUps(now: now)
    }

    // MARK: helpers

    /// `instant`, or the end of the person's quiet hours when it falls inside them.
    func allowed(_ instant: Date, for person: Person) -> Date {
        guard let quiet = person.quietHours ?? context.config.quietHours else { return instant }
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = context.config.zone(of: person)
        let parts = calendar.dateComponents([.hour, .minute], from: instant)
        let minute = (parts.hour ?? 0) * 60 + (parts.minute ?? 0)
        guard quiet.contains(minute: minute) else { return instant }
        let wait = (quiet.end - minute + 1_440) % 1_440
        let moved = instant.addingTimeInterval(TimeInterval(wait * 60))
        // Whole minutes: the end of quiet hours, at :00 seconds, in whatever offset then applies.
        return calendar.date(bySetting: .second, value: 0, of: moved) ?? moved
    }

    func plan(
        key: String, kind: NoticeRecord.Kind, to person: Person, team: Team, schedule: String?, periodStart: Date, periodEnd: Date,
        due: Date, markdown: String
    ) async throws -> Planned {
        var parts: [OutboxParts] = []
        for channel in person.notify {
            let target = try context.config.requireTarget(channel.target)
            let formatter = MessageFormatter(dialect: target.descriptor.dialect, limit: target.limit)
            var route = channel.address
            // A Matrix user's direct room, once made, is used again.
            if target.kind == .matrix, let known = try await context.store.lastRoute(target: target.id, startingWith: channel.address + "|") {
                route = known
            }
            parts.append(OutboxParts(target: target.id, kind: target.kind, bodies: formatter.parts(markdown), route: route))
        }
        let record = ReportRecord(
            team: team.id, schedule: schedule, periodStart: periodStart, periodEnd: periodEnd, markdown: markdown,
            createdAt: due, kind: "notice", person: person.id)
        let detail = person.notify.isEmpty ? "no channel" : person.notify.map(\.description).joined(separator: ", ")
        return Planned(
            record: NoticeRecord(key: key, person: person.id, kind: kind, detail: detail, createdAt: due), due: due,
            channels: person.notify, markdown: markdown, messages: parts.isEmpty ? [] : [QueuedReport(record: record, parts: parts)])
    }
}
