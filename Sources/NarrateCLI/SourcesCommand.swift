import ArgumentParser
import Foundation
import NarrateApp
import NarrateModel
import NarrateTargets
import NarrateConfig
import NarrateReport
import NarrateDelivery

struct SourcesCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sources", abstract: "Work that already left a trace: journal files, git, GitHub, commands, Prometheus.",
        subcommands: [SourcesCheckCommand.self])
}

struct SourcesCheckCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check", abstract: "Run every source once for the current period and print what it would bring in; imports nothing.")

    @OptionGroup var global: GlobalOptions

    @Option(help: "Only this team.")
    var team: String?

    func run() async throws {
        let failed = try await CurlTransport.withRunning { transport -> Bool in
            let context = try await global.context(transport: transport)
            var failed = false
            for plan in try await context.pipeline.plan(team: team) {
                let outcomes = await context.sourceRuns.run(team: plan.team, period: plan.period, dryRun: true)
                if outcomes.isEmpty { Console.out("\(plan.team.id): no sources") }
                for outcome in outcomes {
                    Console.out("\(plan.team.id)  \(outcome.source) (\(outcome.mode.rawValue)): \(outcome.found.count) entr\(outcome.found.count == 1 ? "y" : "ies"), \(outcome.readings) reading\(outcome.readings == 1 ? "" : "s")")
                    for item in outcome.found {
                        Console.out("  \(item.entry.person)  \(item.entry.kind.rawValue)  \(item.entry.text)")
                    }
                    for problem in outcome.problems {
                        Console.err("  problem: \(problem)")
                        failed = true
                    }
                }
            }
            return failed
        }
        if failed { throw ExitCode(1) }
    }
}

struct DraftsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "drafts", abstract: "Entries your tools suggested: list, confirm or discard them.",
        subcommands: [DraftsListCommand.self, DraftsConfirmCommand.self, DraftsDiscardCommand.self], defaultSubcommand: DraftsListCommand.self)
}

struct DraftsListCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "list", abstract: "Your pending drafts.")

    @OptionGroup var global: GlobalOptions

    @Option(name: .customLong("as"), help: "Person id (default: the person whose unix_user is $USER).")
    var person: String?

    func run() async throws {
        let context = try await global.context()
        let caller = try global.caller(context, as: person)
        let drafts = try await context.checkIns.drafts(of: caller.person)
        if drafts.isEmpty { return Console.out("no drafts for \(caller.person.id)") }
        let zone = context.config.zone(of: caller.person)
        for draft in drafts {
            Console.out("\(draft.displayID)  \(TimeText.short(draft.entry.at, in: zone))  \(draft.entry.kind.rawValue)  \(draft.entry.text)  (\(draft.entry.origin ?? "source"))")
        }
    }
}

struct DraftsConfirmCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "confirm", abstract: "Make a draft an entry (optionally with your own words).")

    @OptionGroup var global: GlobalOptions

    @Argument(help: "Draft id, e.g. S-3.")
    var id: String

    @Option(help: "Your text instead of the draft's.")
    var text: String?

    @Option(name: .customLong("as"), help: "Act for this person (admins only).")
    var person: String?

    func run() async throws {
        let context = try await global.context()
        let entry = try await context.checkIns.confirmDraft(id, text: text, by: try global.caller(context, as: person))
        Console.out(entry.displayID)
    }
}

struct DraftsDiscardCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "discard", abstract: "Drop a draft; it does not come back.")

    @OptionGroup var global: GlobalOptions

    @Argument(help: "Draft id, e.g. S-3.")
    var id: String

    @Option(name: .customLong("as"), help: "Act for this person (admins only).")
    var person: String?

    func run() async throws {
        let context = try await global.context()
        let draft = try await context.checkIns.discardDraft(id, by: try global.caller(context, as: person))
        Console.out("\(draft.displayID) discarded")
    }
}
