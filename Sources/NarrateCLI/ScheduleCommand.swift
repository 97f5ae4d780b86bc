import ArgumentParser
import Foundation
import NarrateApp
import NarrateModel
import NarrateTargets
import NarrateConfig
import NarrateReport

struct ScheduleCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "schedule",
        abstract: "Next fire times of a cron expression, or of each configured schedule with its last run.")

    @OptionGroup var global: GlobalOptions

    @Option(help: "A cron expression to evaluate instead of the config's schedules.")
    var cron: String?

    @Option(help: "IANA time zone for --cron.")
    var tz: String = "UTC"

    @Option(help: "List fire times strictly after this time (default now).")
    var from: String = "now"

    @Option(help: "How many fire times.")
    var count: Int = 5

    @Flag(help: "Print JSON.")
    var json = false

    func run() async throws {
        if let cron {
            let zone = try TimeZoneCheck.zone(tz)
            let start = try TimeText.parse(from, zone: zone, now: global.wiring.clock.now())
            let times = try CronSchedule.fireTimes(cron: cron, zone: tz, from: start, count: count)
            if json { try Console.json(times) } else { Console.out(times.joined(separator: "\n")) }
            return
        }
        let statuses: [ScheduleStatus]
        if let daemon = try global.daemon() {
            statuses = try await daemon.get("/v1/schedules")
        } else {
            statuses = try await global.context().schedules.status()
        }
        if json { return try Console.json(statuses) }
        for status in statuses {
            let last = status.lastRun.map { "last run \($0) (\(status.lastState ?? ""))" } ?? "never run"
            let reminders = status.reminders.map { "  reminders \($0.joined(separator: ", "))" } ?? ""
            Console.out("\(status.id)  \(status.team)  \(status.cron)  \(status.timezone)  next \(status.next ?? "none")\(reminders)  \(last)")
        }
    }
}
