import Foundation
import NarrateAPI
import NarrateApp
import NarrateModel
import NarrateReport

extension CheckInServer {
    /// How long past its planned wake-up the scheduler may be before the service is unhealthy.
    static let schedulerGrace: TimeInterval = 120

    /// `GET /healthz`: the store answers, the scheduler (when this process runs one) is not
    /// overdue nor failing, and the outbox backlog. Healthy (200) or not (503), and the body.
    func health() async throws -> (Bool, Components.Schemas.Health) {
        let app = await current()
        let now = app.clock.now()
        let zone = Config.zone(app.config.timeZone)
        var body = Components.Schemas.Health(status: .ok, version: NarrateVersion.string, store: .init(ok: true))
        do {
            let state = try await app.health.store()
            body.outbox = .init(backlog: state.backlog, oldest: state.oldest.map { TimeText.iso($0, in: zone) })
            // A failing source degrades reports (a footer line), not the service: shown, not fatal.
            body.sources = state.sources.map { run in
                .init(id: run.source, at: TimeText.iso(run.at, in: zone), ok: run.problems.isEmpty, problems: run.problems)
            }
        } catch {
            body.store = .init(ok: false, error: app.redactor.redact("\(error)"))
        }
        if let heartbeat {
            if let beat = heartbeat.lastBeat {
                let overdue = now.timeIntervalSince(beat.next) > Self.schedulerGrace
                body.scheduler = .init(
                    ok: !overdue && beat.failures < 3, lastTick: TimeText.iso(beat.at, in: zone), nextTick: TimeText.iso(beat.next, in: zone),
                    failures: beat.failures)
            } else {
                body.scheduler = .init(ok: false, error: "the scheduler has not looked at the schedules yet")
            }
        }
        let healthy = body.store.ok && body.scheduler?.ok != false
        body.status = healthy ? .ok : .unhealthy
        return (healthy, body)
    }
}
