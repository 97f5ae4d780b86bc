import ArgumentParser
import Foundation
import NarrateApp
import NarrateCore

struct CheckCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check", abstract: "Validate the config and lint its KPIs; exit 1 on any error.")

    @OptionGroup var global: GlobalOptions

    @Flag(help: "Print the diagnostics as JSON.")
    var json = false

    func run() throws {
        let (config, diagnostics) = ConfigFile.check(path: global.configPath)
        if json {
            try Console.json(diagnostics)
        } else {
            for diagnostic in diagnostics { Console.out("\(diagnostic)") }
        }
        let errors = diagnostics.filter { $0.severity == .error }.count
        let warnings = diagnostics.count - errors
        if !json {
            let summary = errors == 0 && config != nil
                ? "\(global.configPath): ok (\(config!.teams.count) teams, \(config!.persons.count) people, \(config!.kpis.count) KPIs, \(config!.schedules.count) schedules, \(config!.targets.count) targets); \(warnings) warning\(warnings == 1 ? "" : "s")"
                : "\(global.configPath): \(errors) error\(errors == 1 ? "" : "s"), \(warnings) warning\(warnings == 1 ? "" : "s")"
            Console.err(summary)
        }
        if errors > 0 { throw ExitCode(1) }
    }
}
