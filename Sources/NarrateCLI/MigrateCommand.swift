import ArgumentParser
import NarrateDelivery
import NarratePostgres
import NarrateStore

struct MigrateCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "migrate",
        abstract: "Create or upgrade the store's schema (the PostgreSQL database of [store], or the SQLite file).",
        discussion: """
            Safe to run on a live system and from several hosts at once: the upgrade is one \
            transaction under an advisory lock, and a second run finds nothing to do. A database \
            written by a newer narrate is refused and left as it is.
            """)

    @OptionGroup var global: GlobalOptions

    func run() async throws {
        let (config, _) = try global.loadConfig()
        let secrets = SecretResolver(environment: global.wiring.environment, redactor: global.wiring.redactor)
        guard let settings = config.store else {
            let stateDir = StateDirectory.resolve(flag: global.stateDir, config: config, environment: global.wiring.environment)
            // Opening the SQLite store upgrades it (a lock file keeps two processes apart).
            let store = try SQLiteStore(directory: stateDir)
            Console.out("the store \(store.path) is current")
            return
        }
        let store = try await GlobalOptions.postgres(settings, secrets: secrets, logger: global.logger)
        // Connects once first: an unreachable database or a refused password is said at once.
        _ = try await store.probe()
        let applied = try await store.migrate(now: global.wiring.clock.now())
        if applied.isEmpty {
            Console.out("the database \(settings.displayURL) is current")
        } else {
            Console.out("applied \(applied.joined(separator: ", ")) to \(settings.displayURL)")
        }
    }
}
