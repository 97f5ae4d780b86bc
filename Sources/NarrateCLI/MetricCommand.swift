import ArgumentParser
import Foundation
import NarrateAPI
import NarrateModel
import NarrateTargets
import NarrateConfig
import NarrateReport
import NarrateHTTP
import NarrateApp

struct MetricCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "metric", abstract: "Record, list and delete KPI and guardrail readings.",
        subcommands: [MetricRecordCommand.self, MetricImportCommand.self, MetricListCommand.self, MetricDeleteCommand.self])
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

struct MetricListCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "list", abstract: "List readings with who recorded each, oldest first.")

    @OptionGroup var global: GlobalOptions

    @Argument(help: "KPI id (default every KPI you may record).")
    var kpi: String?

    @Option(parsing: .unconditional, help: "From this time on, e.g. -30d, yesterday or 2026-11-01 (default 8 weeks ago).")
    var since: String?

    @Flag(help: "Print JSON.")
    var json = false

    func run() async throws {
        if let daemon = try global.daemon() {
            let kpi = try self.kpi.map { try daemon.config.requireKPI($0).id }
            let query = Operations.ListMetrics.Input.Query(kpi: kpi, since: since)
            let readings = try await daemon.api { try await $0.listMetrics(query: query).ok.body.json }
            return try show(readings)
        }
        let context = try await global.context(reading: true)
        let kpis = try self.kpi.map { [try context.config.requireKPI($0).id] } ?? []
        let start = try TimeText.parse(since ?? "-56d", zone: Config.zone(context.config.timeZone), now: global.wiring.clock.now())
        let readings = try await context.metrics.list(kpis, since: start, by: global.requester(context))
        try show(readings.map { .init($0, zone: context.config.zone(ofTeam: context.config.kpi($0.kpi)?.team ?? "")) })
    }

    func show(_ readings: [Components.Schemas.Reading]) throws {
        if json { return try Console.json(readings) }
        if readings.isEmpty { return Console.out("no readings\(kpi.map { " of \($0)" } ?? "") since \(since ?? "8 weeks ago")") }
        let width = readings.map(\.kpi.count).max() ?? 0
        for reading in readings {
            let by = [reading.author, reading.origin.map { "(\($0.rawValue))" }].compactMap { $0 }.joined(separator: " ")
            Console.out("\(reading.at)  \(reading.kpi.padding(toLength: width, withPad: " ", startingAt: 0))  \(MetricBounds.text(reading.value))  \(by)")
        }
    }
}

struct MetricDeleteCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "delete",
        abstract: "Delete a wrong reading (its author, an admin or the store's owner).",
        discussion: "Give the time as `metric list` prints it. To correct a value, delete the reading and record it again.")

    @OptionGroup var global: GlobalOptions

    @Argument(help: "KPI id.")
    var kpi: String

    @Option(parsing: .unconditional, help: "The reading's time, as `metric list` prints it.")
    var at: String

    func run() async throws {
        if let daemon = try global.daemon() {
            let kpi = try daemon.config.requireKPI(self.kpi)
            let zone = daemon.config.zone(ofTeam: kpi.team)
            guard let at = DaemonClient.iso(try global.time(at, in: zone), zone: zone) else { throw ValidationError("give the reading's time with --at") }
            let reading = try await daemon.api { try await $0.deleteMetric(path: .init(kpi: kpi.id), query: .init(at: at)).ok.body.json }
            return Console.out("deleted \(reading.kpi) = \(MetricBounds.text(reading.value)) at \(reading.at)")
        }
        let context = try await global.context()
        let kpi = try context.config.requireKPI(self.kpi)
        let zone = context.config.zone(ofTeam: kpi.team)
        guard let time = try global.time(at, in: zone) else { throw ValidationError("give the reading's time with --at") }
        let reading = try await context.metrics.delete(kpi.id, at: time, by: global.requester(context))
        Console.out("deleted \(reading.kpi) = \(MetricBounds.text(reading.value)) at \(TimeText.iso(reading.at, in: zone))")
    }
}
