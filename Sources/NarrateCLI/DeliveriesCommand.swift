import ArgumentParser

struct DeliveriesCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "deliveries", abstract: "List outbox parts: report, target, part, state, attempts, last error.")

    @OptionGroup var global: GlobalOptions

    @Flag(help: "Only parked parts.")
    var failed = false

    @Flag(help: "Print JSON.")
    var json = false

    func run() throws {
        let deliveries = try global.context().deliveries.list(parkedOnly: failed)
        if json { return try Console.json(deliveries) }
        if deliveries.isEmpty { Console.out(failed ? "no parked parts" : "the outbox is empty") }
        for delivery in deliveries {
            var line = "\(delivery.id)  report \(delivery.report)  \(delivery.target)  part \(delivery.part)/\(delivery.parts)  \(delivery.state.rawValue)  attempts \(delivery.attempts)"
            if let error = delivery.lastError, delivery.state != .sent { line += "  \(error)" }
            Console.out(line)
        }
    }
}
