import ArgumentParser
import Foundation
import NarrateAPI
import NarrateModel
import NarrateTargets
import NarrateConfig
import NarrateReport

extension Entry.Kind: ExpressibleByArgument {}
extension Entry.Stage: ExpressibleByArgument {}

struct LogCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "log", abstract: "Record progress, a blocker, a next action, a learning or a win; prints its id.")

    @OptionGroup var global: GlobalOptions

    @Argument(help: "progress | blocker | next | learned | win | helped | ask | decision")
    var kind: Entry.Kind

    @Argument(help: "What happened, in one line.")
    var text: String

    @Option(name: .customLong("as"), help: "Person id (default: the person whose unix_user is $USER).")
    var person: String?

    @Option(help: "Where a blocker is stuck: front | middle | back.")
    var stage: Entry.Stage?

    @Option(help: "The KPI this entry moves.")
    var kpi: String?

    @Option(parsing: .unconditional, help: "When it happened (default now), e.g. 2026-11-20T09:30+08:00 or \"2026-11-20 09:30\".")
    var at: String?

    func run() async throws {
        if let daemon = try global.daemon() {
            let zone = global.zone(daemon.config, as: person)
            let body = Components.Schemas.NewEntry(
                kind: try .init(sameAs: kind), text: text, stage: try stage.map(Components.Schemas.Stage.init(sameAs:)), kpi: kpi,
                at: DaemonClient.iso(try global.time(at, in: zone), zone: zone))
            let entry = try await daemon.api(as: person) { try await $0.createEntry(body: .json(body)).created.body.json }
            return Console.out(entry.ref)
        }
        let context = try await global.context()
        let caller = try global.caller(context, as: person).person
        let time = try global.time(at, in: context.config.zone(of: caller))
        let entry = try await context.checkIns.log(kind, text: text, by: caller, stage: stage, kpi: kpi, at: time)
        Console.out(entry.displayID)
    }
}
