import ArgumentParser
import Foundation
import NarrateApp
import NarrateDelivery

struct NowCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "now",
        abstract: "Run one cycle by hand: render the current report, queue it, deliver it to every target of the team.")

    @OptionGroup var global: GlobalOptions

    @Option(help: "Only this team.")
    var team: String?

    @Option(help: "Use this schedule's team and period.")
    var schedule: String?

    @Flag(name: .customLong("dry-run"), help: "Print the exact request bodies; send and record nothing.")
    var dryRun = false

    @Option(help: "Seconds to keep retrying before leaving the rest to the daemon (or the next `narrate now`).")
    var wait: Double = 15

    @Flag(help: "Send a report even when the same content was already sent for this team and its targets.")
    var force = false

    @Flag(help: "Print JSON.")
    var json = false

    func run() async throws {
        if dryRun {
            let requests = try await global.context().deliveries.dryRun(team: team, schedule: schedule)
            if json { return try Console.json(requests) }
            for request in requests {
                Console.out("=== \(request.team) → \(request.target) part \(request.part)/\(request.parts): \(request.method) \(request.url)")
                Console.out(request.body)
            }
            return
        }
        let results = try await CurlTransport.withRunning { transport in
            try await global.context(transport: transport).deliveries.now(team: team, schedule: schedule, wait: wait, force: force)
        }
        if json {
            try Console.json(results)
        } else {
            Console.err(results.map(\.line).joined(separator: "\n"))
        }
        if !results.allSatisfy(\.delivered) { throw ExitCode(1) }
    }
}
