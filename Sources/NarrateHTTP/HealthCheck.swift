import Foundation
import Hummingbird
import NarrateApp
import NarrateModel
import NarrateReport

extension CheckInServer {
    /// How long past its planned wake-up the scheduler may be before the service is unhealthy.
    static let schedulerGrace: TimeInterval = 120

    /// `GET /healthz`: the store answers, the scheduler (when this process runs one) is not
    /// overdue nor failing, and the outbox backlog. 200 when healthy, else 503.
    func health() async throws -> Response {
        let app = await current()
        let now = app.clock.now()
        var healthy = true
        var body: [String: Any] = ["version": NarrateVersion.string]
        do {
            let state = try app.health.store()
            body["store"] = ["ok": true]
            var outbox: [String: Any] = ["backlog": state.backlog]
            outbox["oldest"] = state.oldest.map { TimeText.iso($0, in: Config.zone(app.config.timeZone)) } ?? NSNull()
            body["outbox"] = outbox
            // A failing source degrades reports (a footer line), not the service: shown, not fatal.
            body["sources"] = state.sources.map { run -> [String: Any] in
                ["id": run.source, "at": TimeText.iso(run.at, in: Config.zone(app.config.timeZone)), "ok": run.problems.isEmpty,
                 "problems": run.problems]
            }
        } catch {
            healthy = false
            body["store"] = ["ok": false, "error": app.redactor.redact("\(error)")]
        }
        if let heartbeat {
            guard let beat = heartbeat.lastBeat else {
                healthy = false
                body["scheduler"] = ["ok": false, "error": "the scheduler has not looked at the schedules yet"]
                return JSONResponse.make(body.merging(["status": "unhealthy"]) { $1 }, status: .serviceUnavailable)
            }
            let zone = Config.zone(app.config.timeZone)
            let overdue = now.timeIntervalSince(beat.next) > Self.schedulerGrace
            let ok = !overdue && beat.failures < 3
            healthy = healthy && ok
            body["scheduler"] = [
                "ok": ok, "last_tick": TimeText.iso(beat.at, in: zone), "next_tick": TimeText.iso(beat.next, in: zone),
                "failures": beat.failures,
            ] as [String: Any]
        } else {
            body["scheduler"] = NSNull()
        }
        body["status"] = healthy ? "ok" : "unhealthy"
        return JSONResponse.make(body, status: healthy ? .ok : .serviceUnavailable)
    }
}
