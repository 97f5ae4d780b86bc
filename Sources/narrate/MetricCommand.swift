import ArgumentParser
import NarrateKit

struct MetricCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "metric", abstract: "Record KPI and guardrail readings.",
        subcommands: [MetricRecordCommand.self, MetricImportCommand.self])
}

struct MetricRecordCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "record", abstract: "Record one reading.")

    @OptionGroup var global: GlobalOptions

    @Argument(help: "KPI id.")
    var kpi: String

    @Argument(help: "The value, e.g. 26.5.")
    var value: String

    @Option(help: "When it was measured (default now).")
    var at: String?

    func run() throws {
        let reading = try global.workspace().recordMetric(kpi, value: value, at: at)
        print("recorded \(reading.kpi) = \(reading.value)")
    }
}

struct MetricImportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import", abstract: "Import readings from a CSV file with the header kpi,value,at; all rows or none.")

    @OptionGroup var global: GlobalOptions

    @Argument(help: "CSV file.")
    var file: String

    func run() throws {
        let count = try global.workspace().importMetrics(file: file)
        print("imported \(count) reading\(count == 1 ? "" : "s")")
    }
}
