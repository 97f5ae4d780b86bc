import ArgumentParser
import Foundation
import NarrateApp
import NarrateModel
import NarrateTargets
import NarrateConfig
import NarrateReport
import NarrateDelivery
import NarrateStore

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
            // Read-only: check never makes a store.
            let stateDir = StateDirectory.resolve(flag: global.stateDir, config: config, environment: global.wiring.environment)
            if let store = try? SQLiteStore(readOnly: stateDir + "/" + SQLiteStore.fileName) {
                diagnostics += await ConfigFile.checkTargets(config, text: text, store: store, now: now)
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
}
