import ArgumentParser
import NarrateApp

struct ReportsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "reports", abstract: "Archived reports: list them, or show one again.",
        subcommands: [ReportsListCommand.self, ReportsShowCommand.self], defaultSubcommand: ReportsListCommand.self)
}

struct ReportsListCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "list", abstract: "The latest reports, newest first.")

    @OptionGroup var global: GlobalOptions

    @Option(help: "Only this team's reports.")
    var team: String?

    @Flag(help: "Print JSON.")
    var json = false

    func run() async throws {
        let reports: [Reports.Archived]
        if let daemon = try global.daemon() {
            reports = try await daemon.get("/v1/reports", query: [("team", team)])
        } else {
            let context = try await global.context(reading: true)
            reports = try await context.reports.archived(team: team, by: global.requester(context))
        }
        if json { return try Console.json(reports) }
        if reports.isEmpty { Console.out("no reports yet") }
        for report in reports {
            // The period as the report names it: its first and last day (the end is exclusive).
            let period = "\(report.periodStart.prefix(10)) – \(report.lastDay ?? String(report.periodEnd.prefix(10)))"
            let unsent = (report.unsent ?? []).isEmpty ? "" : " (not sent: \((report.unsent ?? []).joined(separator: ", ")))"
            Console.out(
                "\(report.id)  \(report.team)\(report.kind == "digest" ? " (manager digest)" : "")  \(report.schedule ?? "narrate now")  \(period)  \(report.sent)/\(report.parts) parts sent to \(report.targets.joined(separator: ", "))\(unsent)")
        }
    }
}

struct ReportsShowCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "show", abstract: "Print one archived report as it was rendered.")

    @OptionGroup var global: GlobalOptions

    @Argument(help: "Report id from `narrate reports`.")
    var id: Int64

    @Flag(help: "Print JSON.")
    var json = false

    func run() async throws {
        let report: Reports.Archived
        if let daemon = try global.daemon() {
            report = try await daemon.get("/v1/reports/\(id)")
        } else {
            let context = try await global.context(reading: true)
            report = try await context.reports.archived(id: id, by: global.requester(context))
        }
        if json { return try Console.json(report) }
        Console.raw(report.markdown ?? "")
    }
}
