import ArgumentParser
import NarrateModel

struct DeliveriesCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "deliveries", abstract: "List outbox parts: report, target, part, state, attempts, last error.")

    @OptionGroup var global: GlobalOptions

    @Flag(help: "Only parked parts.")
    var failed = false

    @Flag(help: "Print JSON.")
    var json = false

    func run() async throws {
        let context = try await global.context(reading: true)
        let deliveries = try await context.deliveries.list(parkedOnly: failed).sorted { $0.id < $1.id }
        if json { return try Console.json(deliveries) }
        if deliveries.isEmpty { Console.out(failed ? "no parked parts" : "the outbox is empty") }
        let zone = Config.zone(context.config.timeZone)
        for delivery in deliveries {
            // When it went, when it is due, or (parked) when it was queued.
            let when = delivery.sentAt.map { "sent \(TimeText.short($0, in: zone))" }
                ?? (delivery.state == .parked
                    ? "queued \(TimeText.short(delivery.createdAt, in: zone))" : "due \(TimeText.short(delivery.nextAttemptAt, in: zone))")
            var line = "\(delivery.id)  report \(delivery.report)  \(delivery.target)  part \(delivery.part)/\(delivery.parts)  \(delivery.state.rawValue)  \(when)  attempts \(delivery.attempts)"
            if let error = delivery.lastError, delivery.state != .sent { line += "  \(error)" }
            Console.out(line)
        }
    }
}
