import ArgumentParser
import Foundation
import NarrateApp
import NarrateModel
import NarrateTargets
import NarrateConfig
import NarrateReport
import NarrateDelivery

struct RemindCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "remind",
        abstract: "Remind everyone on a schedule's team who has not checked in for its next report; once per person and slot.")

    @OptionGroup var global: GlobalOptions

    @Option(help: "Schedule id.")
    var schedule: String

    @Flag(name: .customLong("dry-run"), help: "Show who would be reminded, through which channels, with what text; send nothing.")
    var dryRun = false

    @Option(help: "Seconds to keep retrying before leaving the rest to the daemon.")
    var wait: Double = 60

    func run() async throws {
        if dryRun {
            let context = try await global.context()
            let schedule = try context.config.requireSchedule(self.schedule)
            let planned = try await context.notices.reminders(for: schedule, now: context.clock.now(), manual: true)
            if planned.isEmpty { return Console.out("everyone on \(schedule.team) has checked in (or is away)") }
            for notice in planned {
                let channels = notice.channels.isEmpty ? "no channel" : notice.channels.map(\.description).joined(separator: ", ")
                Console.out("=== \(notice.record.person) → \(channels)")
                Console.out(notice.markdown.replacingOccurrences(of: CheckInLink.placeholder, with: "<a new check-in link, made when sent>"))
            }
            return
        }
        let sent = try await CurlTransport.withRunning { transport in
            let context = try await global.context(transport: transport)
            let schedule = try context.config.requireSchedule(self.schedule)
            let now = context.clock.now()
            let sent = try await context.notices.send(try context.notices.reminders(for: schedule, now: now, manual: true), now: now)
            _ = try await context.courier.deliver(reports: nil, until: now.addingTimeInterval(wait))
            return sent.map { ($0.record.person, $0.channels) }
        }
        if sent.isEmpty { return Console.out("nobody to remind: everyone has checked in, is away, or was reminded for this slot already") }
        for (person, channels) in sent {
            Console.out("\(person): \(channels.isEmpty ? "no channel (notify = [...] in the config)" : channels.map(\.description).joined(separator: ", "))")
        }
    }
}
