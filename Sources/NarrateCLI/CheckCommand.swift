import ArgumentParser
import Foundation
import NarrateApp
import NarrateModel
import NarrateTargets
import NarrateConfig
import NarrateReport
import NarrateDelivery
import NarrateStore
import NarratePostgres

struct CheckCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check", abstract: "Validate the config and lint its KPIs; exit 1 on any error.")

    @OptionGroup var global: GlobalOptions

    @Flag(help: "Print the diagnostics as JSON.")
    var json = false

    @Flag(help: "Do not read the secrets (environment variables, files): on a machine that does not have them.")
    var offline = false

    func run() async throws {
        let resolver = SecretResolver(environment: global.wiring.environment, redactor: global.wiring.redactor)
        let now = global.wiring.clock.now()
        var (config, diagnostics) = ConfigFile.check(path: global.configPath, secrets: offline ? nil : resolver)
        // With a store at hand, targets are held against history.
        if let config, !diagnostics.contains(where: { $0.severity == .error }),
            let text = try? String(contentsOfFile: global.configPath, encoding: .utf8)
        {
            if let settings = config.store {
                if !offline, let store = await database(settings, text: text, resolver: resolver, into: &diagnostics) {
                    diagnostics += await ConfigFile.checkTargets(config, text: text, store: store, now: now)
                }
            } else {
                // Read-only: check never makes a store.
                let stateDir = StateDirectory.resolve(flag: global.stateDir, config: config, environment: global.wiring.environment)
                if let store = try? SQLiteStore(readOnly: stateDir + "/" + SQLiteStore.fileName) {
                    diagnostics += await ConfigFile.checkTargets(config, text: text, store: store, now: now)
                }
            }
        }
        if json {
            try Console.json(diagnostics)
        } else {
            for diagnostic in diagnostics { Console.out("\(diagnostic)") }
        }
        let errors = diagnostics.filter { $0.severity == .error }.count
        let warnings = diagnostics.count - errors
        if !json {
            let counts: String
            if errors == 0, let config {
                let parts = [
                    Words.count(config.teams.count, "team"), Words.count(config.persons.count, "person", "people"),
                    Words.count(config.kpis.count, "KPI"), Words.count(config.schedules.count, "schedule"),
                    Words.count(config.targets.count, "target"),
                ]
                counts = "ok (\(parts.joined(separator: ", "))); \(Words.count(warnings, "warning"))"
            } else {
                counts = "\(Words.count(errors, "error")), \(Words.count(warnings, "warning"))"
            }
            let summary = "\(global.configPath): \(counts)"
            Console.err(summary)
        }
        if errors > 0 { throw ExitCode(1) }
    }

    /// Connects to `[store]`'s database and says what is wrong with it: unreachable, the
    /// password refused, TLS, a schema missing or newer than this build. The store when usable.
    func database(
        _ settings: StoreSettings, text: String, resolver: SecretResolver, into diagnostics: inout [Diagnostic]
    ) async -> PostgresStore? {
        let line = ConfigSourceMap(text: text).line(of: "store.url") ?? 1
        func add(_ severity: Diagnostic.Severity, _ message: String) {
            diagnostics.append(Diagnostic(file: global.configPath, line: line, severity: severity, keyPath: "store.url", message: message))
        }
        do {
            let store = try await GlobalOptions.postgres(settings, secrets: resolver, logger: global.logger)
            switch try await store.probe() {
            case .current:
                return store
            case .empty:
                add(.warning, "the database \(settings.displayURL) has no narrate schema yet; `narrate migrate` creates it")
            case .behind:
                add(.warning, "the database \(settings.displayURL) has an older narrate schema; `narrate migrate` upgrades it")
            case .ahead(let unknown):
                add(.error, "the database \(settings.displayURL) was written by a newer narrate (schema \(unknown.joined(separator: ", "))); upgrade narrate")
            }
        } catch {
            add(.error, "\(error)")
        }
        return nil
    }
}
