import ArgumentParser
import Foundation
import NarrateKit

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

    @Option(help: "Seconds to keep retrying before leaving the rest to the daemon.")
    var wait: Double = 300

    @Option(help: .hidden)
    var retryBase: Double?

    @Flag(help: "Print JSON.")
    var json = false

    func run() async throws {
        let workspace = try global.workspace()
        if dryRun {
            let requests = try workspace.dryRun(team: team, schedule: schedule)
            if json { return try printJSON(requests) }
            for request in requests {
                print("=== \(request.team) → \(request.target) part \(request.part)/\(request.parts): \(request.method) \(request.url)")
                print(request.body)
            }
            return
        }
        var policy = RetryPolicy()
        if let retryBase { policy.base = retryBase }
        let results = try await workspace.now(team: team, schedule: schedule, wait: wait, policy: policy)
        if json {
            try printJSON(results)
        } else {
            let lines = results.map(\.line).joined(separator: "\n")
            FileHandle.standardError.write(Data((lines + "\n").utf8))
        }
        if !results.allSatisfy(\.delivered) { throw ExitCode(1) }
    }
}
