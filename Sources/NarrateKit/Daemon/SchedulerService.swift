import Foundation
import Logging
import ServiceLifecycle

/// Fires every schedule at its slots: claims the slot in the run ledger (so two daemons on one
/// store never run it twice), renders the report and commits it to the outbox. Sleeps until the
/// next slot (re-checking the wall clock at least every five minutes, for clock jumps and
/// suspend), and wakes early on reload.
final class SchedulerService: Service {
    let state: DaemonState
    let clock: DaemonClock
    let logger: Logger
    let wake: Wakeup
    let deliveries: Wakeup
    let notifier: SystemdNotifier
    static let longestSleep: TimeInterval = 300

    init(state: DaemonState, clock: DaemonClock, logger: Logger, wake: Wakeup, deliveries: Wakeup, notifier: SystemdNotifier) {
        self.state = state
        self.clock = clock
        self.logger = logger
        self.wake = wake
        self.deliveries = deliveries
        self.notifier = notifier
    }

    func run() async throws {
        try await withGracefulShutdownHandler {
            try await cancelWhenGracefulShutdown { try await self.loop() }
        } onGracefulShutdown: {
            self.notifier.send("STOPPING=1")
            self.logger.notice("shutting down: no new slots; in-flight deliveries finish or stay queued")
        }
    }

    private func loop() async throws {
        var cursors: [String: Date] = [:]
        // A schedule with nothing in the ledger was never missed: its older slots are not reported as skipped.
        var fresh: Set<String> = []
        let started = clock.now
        while !Task.isCancelled {
            let workspace = await state.workspace
            let now = clock.now
            var nextWake = now.addingTimeInterval(Self.longestSleep)
            for schedule in workspace.config.schedules {
                let cron = CronSchedule(cron: schedule.cron, zone: workspace.zone(of: schedule))
                var cursor: Date
                if let known = cursors[schedule.id] {
                    cursor = known
                } else if let last = try workspace.store.lastRun(schedule: schedule.id) {
                    cursor = last.slot
                } else {
                    cursor = min(started, now).addingTimeInterval(-TimeInterval(schedule.catchUp))
                    fresh.insert(schedule.id)
                }
                let due = now > cursor ? cron.fires(after: cursor, upTo: now) : []
                let decision = SlotPlanner.decide(due: due, now: now, catchUp: TimeInterval(schedule.catchUp))
                if !fresh.contains(schedule.id) { try recordSkipped(decision.skipped, schedule, workspace, now: now) }
                fresh.remove(schedule.id)
                if let slot = decision.run { try fire(schedule, slot: slot, workspace, now: now) }
                cursors[schedule.id] = max(cursor, now)
                if let next = cron.next(after: max(cursor, now)).first { nextWake = min(nextWake, next) }
            }
            let seconds = max(0.05, nextWake.timeIntervalSince(clock.now))
            logger.debug("sleeping \(String(format: "%.1f", seconds)) s")
            await wake.wait(seconds: clock.realSeconds(seconds))
        }
    }

    func recordSkipped(_ slots: [Date], _ schedule: Schedule, _ workspace: Workspace, now: Date) throws {
        guard !slots.isEmpty else { return }
        let kept = slots.suffix(100)
        for slot in kept {
            _ = try workspace.store.claim(Run(
                schedule: schedule.id, team: schedule.team, slot: slot, state: .skipped, at: now,
                detail: "missed while narrate was not running; older than catch_up \(DurationText.text(schedule.catchUp))"))
        }
        let zone = workspace.zone(of: schedule)
        logger.warning(
            "\(schedule.id): \(slots.count) missed slot(s) recorded as skipped, the latest \(TimeText.iso(kept.last!, in: zone))")
    }

    /// Runs one slot if this process is the first to claim it.
    func fire(_ schedule: Schedule, slot: Date, _ workspace: Workspace, now: Date) throws {
        let zone = workspace.zone(of: schedule)
        let label = "\(schedule.id) \(TimeText.iso(slot, in: zone))"
        guard try workspace.store.claim(Run(schedule: schedule.id, team: schedule.team, slot: slot, state: .started, at: now))
        else {
            logger.info("\(label) was already run by another narrate")
            return
        }
        do {
            let team = try workspace.config.requireTeam(schedule.team)
            let period = try workspace.period(for: team, kind: nil, schedule: schedule, at: nil, now: slot)
            let queued = try workspace.queue(team: team, schedule: schedule, period: period, now: now)
            let ids = queued.map { "\($0.0.id)" }.joined(separator: ", ")
            let parts = queued.reduce(0) { $0 + $1.1.count }
            try workspace.store.finish(
                schedule: schedule.id, slot: slot, state: .done, detail: "report \(ids): \(parts) part(s)", at: now)
            logger.notice("\(label): report \(ids) queued, \(parts) part(s)\(now.timeIntervalSince(slot) > 90 ? " (late, caught up)" : "")")
            Task { await deliveries.signal() }
        } catch {
            try workspace.store.finish(schedule: schedule.id, slot: slot, state: .failed, detail: "\(error)", at: now)
            logger.error("\(label) failed: \(error)")
        }
    }
}
