import ArgumentParser

struct RetryCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "retry", abstract: "Put parked parts back in the queue (the daemon or the next `narrate now` sends them).")

    @OptionGroup var global: GlobalOptions

    @Argument(help: "Delivery ids from `narrate deliveries`.")
    var ids: [Int64] = []

    @Flag(name: .customLong("all-parked"), help: "Every parked part.")
    var allParked = false

    func validate() throws {
        if ids.isEmpty == !allParked { throw ValidationError("give delivery ids or --all-parked") }
    }

    func run() async throws {
        let count = try await global.context().deliveries.retry(ids: allParked ? nil : ids)
        Console.out("re-queued \(count) part\(count == 1 ? "" : "s")")
    }
}
