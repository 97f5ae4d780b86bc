import Foundation
import Logging
import NarrateApp
import NarrateModel
import NarrateStore
import ServiceLifecycle

/// Fires every schedule at its slots: claims the slot in the run ledger (so two daemons on one
/// store never run it twice), renders the report and commits it to the outbox. Sleeps until the
/// next slot (re-checking the wall clock at least every five minutes, for clock jumps and
/// suspend), and wakes early on reload. A store error is logged and retried with backoff; it
/// never ends the service group.
final class SchedulerService: Service {
    let state: DaemonState
    let clock: any WallClock
    let logger: Logger
    let wake: Wakeup
    let deliveries: Wakeup
    let notifier: SystemdNotifier
    let heartbeat: Heartbeat
    static let longestSleep: TimeInterval = 300

    init(
        state: DaemonState, clock: any WallClock, logger: Logger, wake: Wakeup, deliveries: Wakeup, notifier: SystemdNotifier,
        heartbeat: Heartbeat = Heartbeat()
    ) {
        self.heartbeat = heartbeat
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
        var failures = 0
        let started = clock.now()
        while !Task.isCancelled {
            let context = await state.context
            var nextWake: Date
            do {
                nextWake = try await tick(context, cursors: &cursors, fresh: &fresh, started: started)
                failures = 0
            } catch where error is CancellationError || Task.isCancelled {
                // Shutting down: a store call in flight was cancelled, which is no failure.
                return
            } catch {
                failures += 1
                let pause = Backoff.seconds(afterFailures: failures)
                logger.error("scheduler: \(context.redactor.redact("\(error)")); trying again in \(Int(pause)) s")
                nextWake = clock.now().addingTimeInterval(pause)
            }
            heartbeat.beat(at: clock.now(), next: nextWake, failures: failures)
            let seconds = max(0.05, nextWake.timeIntervalSince(clock.now()))
            logger.debug("sleeping \(String(format: "%.1f", seconds)) s")
            await wake.wait(seconds: clock.realSeconds(seconds))
        }
    }

    /// Runs what came due for every schedule; returns when to look again.
    private func tick(_ context: AppContext, cursors: inout [String: Date], fresh: inout Set<String>, started: Date) async throws -> Date {
        let now = clock.now()
        var nextWake = now.addingTimeInterval(Self.longestSleep)
        for schedule in context.config.schedules {
            let cron = CronSchedule(cron: schedule.cron, zone: context.config.zone(of: schedule))
            var cursor: Date
            if let known = cursors[schedule.id] {
                cursor = known
            } else if let last = try await context.slots.lastSlot(of: schedule) {
                cursor = last
            } else {
                cursor = min(started, now).addingTimeInterval(-TimeInterval(schedule.catchUp))
                fresh.insert(schedule.id)
            }
            let due = now > cursor ? cron.fires(after: cursor, upTo: now) : []
            let decision = SlotPlanner.decide(due: due, now: now, catchUp: TimeInterval(schedule.catchUp))
            if !fresh.contains(schedule.id) { try await recordSkipped(decision.skipped, schedule, context, now: now) }
            fresh.remove(schedule.id)
            if let slot = decision.run { try await fire(schedule, slot: slot, context, now: now) }
            cursors[schedule.id] = max(cursor, now)
            if let next = cron.next(after: max(cursor, now)).first { nextWake = min(nextWake, next) }
        }
        // Reminders, follow-ups and escalations that came due; the scheduler wakes for the next.
        do {
            let notices = context.notices
            let planned = try await notices.planned(now: now)
            if await !(try notices.send(planned.filter { $0.due <= now }, now: now)).isEmpty { deliveries.signal() }
            if let next = planned.map(\.due).filter({ $0 > now }).min() { nextWake = min(nextWake, next) }
            if let window = notices.nextReminderWindow(after: now) { nextWake = min(nextWake, window) }
        } catch let error where NarrateError.Category(of: error) != .unavailable {
            // A template or config problem must not stop the reports; the store's failures go
            // to the caller's backoff.
            logger.error("reminders: \(context.redactor.redact("\(error)"))")
        }
        return nextWake
    }

    func recordSkipped(_ slots: [Date], _ schedule: Schedule, _ context: AppContext, now: Date) async throws {
        guard !slots.isEmpty else { return }
        let kept = try await context.slots.recordSkipped(slots, of: schedule)
        let zone = context.config.zone(of: schedule)
        logger.warning(
            "\(schedule.id): \(slots.count) missed slot(s) recorded as skipped, the latest \(TimeText.iso(kept.last!, in: zone))")
    }

    /// Runs one slot (``Slots/run(_:slot:)``) and tells the courier when it queued something.
    func fire(_ schedule: Schedule, slot: Date, _ context: AppContext, now: Date) async throws {
        let label = "\(schedule.id) \(TimeText.iso(slot, in: context.config.zone(of: schedule)))"
        switch try await context.slots.run(schedule, slot: slot) {
        case .failed(let reason):
            if let reason { logger.error("\(label) failed: \(reason)") }
        case .alreadyRun:
            logger.info("\(label) was already run by another narrate")
        case .queued(let queued):
            let ids = queued.map { "\($0.0.id)" }.joined(separator: ", ")
            let parts = queued.reduce(0) { $0 + $1.1.count }
            logger.notice("\(label): report \(ids) queued, \(parts) part(s)\(now.timeIntervalSince(slot) > 90 ? " (late, caught up)" : "")")
            deliveries.signal()
        }
    }
}
