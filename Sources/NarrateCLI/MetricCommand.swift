import ArgumentParser
import Foundation
import NarrateAPI
import NarrateModel
import NarrateTargets
import NarrateConfig
import NarrateReport

struct MetricCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "metric", abstract: "Record KPI and guardrail readings.",
        subcommands: [MetricRecordCommand.self, MetricImportCommand.self])
}

struct MetricRecordCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "record", abstract: "Record one reading.")

    @OptionGroup var global: GlobalOptions

    @Argument(help: "KPI id.")
    var kpi: String

    /// Taken as it comes, so a negative value (`-5`) is not read as an option.
    @Argument(parsing: .allUnrecognized, help: ArgumentHelp("The value, e.g. 26.5 or -5.", valueName: "value"))
    var values: [String] = []

    var value: String { values.first ?? "" }

    func validate() throws {
        if values.count != 1 {
            throw ValidationError(values.isEmpty ? "give the value, e.g. 26.5" : "one value, not \(values.joined(separator: " "))")
        }
    }

    @Option(parsing: .unconditional, help: "When it was measured (default now).")
    var at: String?

    func run() async throws {
        guard let number = Double(value.trimmingCharacters(in: .whitespaces)), number.isFinite else {
            throw NarrateError(.invalidInput, "\"\(value)\" is not a number")
        }
        if let daemon = try global.daemon() {
            let kpi = try daemon.config.requireKPI(self.kpi)
            let zone = daemon.config.zone(ofTeam: kpi.team)
            let body = Operations.RecordMetric.Input.Body.JsonPayload(
                kpi: kpi.id, value: number, at: DaemonClient.iso(try global.time(at, in: zone), zone: zone))
            let reading = try await daemon.api { try await $0.recordMetric(body: .json(body)).created.body.json }
            return Console.out("recorded \(reading.kpi) = \(reading.value)")
        }
        let context = try await global.context()
        let kpi = try context.config.requireKPI(self.kpi)
        let time = try global.time(at, in: context.config.zone(ofTeam: kpi.team))
        let reading = try await context.metrics.record(kpi.id, value: number, at: time, by: global.requester(context), origin: .cli)
        Console.out("recorded \(reading.kpi) = \(reading.value)")
    }
}

struct MetricImportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import", abstract: "Import readings from a CSV file with the header kpi,value,at; all rows or none.")

    @OptionGroup var global: GlobalOptions

    @Argument(help: "CSV file.")
    var file: String

    func run() async throws {
        let context = try await global.context()
        guard let data = FileManager.default.contents(atPath: file) else {
            throw NarrateError(.unavailable, "cannot read \(file)")
        }
        guard let text = String(data: data, encoding: .utf8) else {
            throw NarrateError(.invalidInput, "\(file) is not UTF-8 text")
        }
        let (count, replaced) = try await context.metrics.importCSV(text, file: file, by: global.requester(context))
        let note = replaced == 0 ? "" : " (\(Words.count(replaced, "reading")) of the same KPI and time replaced)"
        Console.out("imported \(Words.count(count, "reading"))\(note)")
    }
}
