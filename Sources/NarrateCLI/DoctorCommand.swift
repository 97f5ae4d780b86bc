import ArgumentParser
import Foundation
import NarrateAPI
import NarrateApp
import NarrateConfig
import NarrateDelivery
import NarrateModel

struct DoctorCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "doctor",
        abstract: "Say what is wrong with this installation, and what to do about it; exit 1 on any problem.",
        discussion: """
            Looks at the config, the secrets as this user reads them, the store, the daemon \
            (through its socket), each schedule's last slot and the targets' parked parts. It \
            changes nothing. Run it as the service's user to see what the service sees.
            """)

    @OptionGroup var global: GlobalOptions

    @Flag(help: "Print the findings as JSON.")
    var json = false

    func run() async throws {
        let secrets = SecretResolver(environment: global.wiring.environment, redactor: global.wiring.redactor)
        let (config, diagnostics) = ConfigFile.check(path: global.configPath, secrets: nil)
        var findings: [Doctor.Finding] = []
        let errors = diagnostics.filter { $0.severity == .error }
        if errors.isEmpty {
            let warnings = diagnostics.count
            findings.append(Doctor.Finding(
                warnings == 0 ? .ok : .warning, "config", "\(global.configPath): no error, \(Words.count(warnings, "warning"))",
                fix: warnings == 0 ? nil : "`narrate check` shows them"))
        } else {
            for error in errors { findings.append(Doctor.Finding(.problem, "config", "\(error)")) }
        }
        if let config, errors.isEmpty {
            do {
                let context = try await global.context(reading: true)
                findings += await context.doctor.examine(secretProblems: secrets.prime(config), daemon: await daemonAnswer(config))
            } catch {
                findings.append(Doctor.Finding(.problem, "store", "\(error)"))
            }
        }
        if json {
            try Console.json(findings)
        } else {
            for finding in findings {
                Console.out("\(finding.level.rawValue.padding(toLength: 8, withPad: " ", startingAt: 0)) \(finding.area): \(finding.message)")
                if let fix = finding.fix { Console.out("         → \(fix)") }
            }
        }
        if findings.contains(where: { $0.level == .problem }) { throw ExitCode(1) }
    }

    /// What the daemon's socket says of the scheduler (`/healthz`), if anything listens there.
    func daemonAnswer(_ config: Config) async -> Doctor.DaemonAnswer {
        let socket = global.socketPath(config)
        guard GlobalOptions.isSocket(socket) else { return .notRunning(socket: socket) }
        do {
            // Not `SocketTransport.exchange`: a 503's body is the health answer, not an error.
            let request = HTTPRequest(method: "GET", url: "http://localhost/healthz", headers: [], timeout: 10, connectTimeout: 5, unixSocket: socket)
            let response = try await CurlTransport.withRunning { try await $0.send(request) }
            guard response.status == 200 else {
                return .failing(socket: socket, error: String(decoding: response.body, as: UTF8.self))
            }
            let health = try JSONDecoder().decode(Components.Schemas.Health.self, from: response.body)
            return .running(detail: "running (\(health.version)), the scheduler last looked at \(health.scheduler?.lastTick ?? "not yet")")
        } catch {
            return .failing(socket: socket, error: "\(error)")
        }
    }
}
