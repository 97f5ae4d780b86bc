import Foundation
import Testing
@testable import NarrateModel
@testable import NarrateStore

/// `narrate doctor` says what is wrong with an installation, and what to do: a secret the user
/// cannot read, a target whose parts are parked, a daemon that does not answer; exit 1 on a problem.
@Suite struct DoctorTests {
    @Test func problemsAreNamedWithWhatToDo() async throws {
        let cli = CLI(config: exampleConfig(replacing: #"targets = ["terminal", "archive"]"#, with: #"targets = ["terminal", "archive", "chat"]"#) + """

            [[target]]
            id = "chat"
            kind = "slack"
            url_env = "NARRATE_DOCTOR_UNSET_URL"

            """)
        await #expect(try cli.run("log", "progress", "x", "--as", "alice").status == 0)
        let store = try SQLiteStore(directory: cli.stateDir)
        let record = ReportRecord(team: "platform", schedule: nil, periodStart: Date(), periodEnd: Date(), markdown: "m", createdAt: Date())
        let (_, parts) = try store.enqueue(record, parts: [OutboxParts(target: "chat", kind: .slack, bodies: ["a", "b"])], now: Date())
        for part in parts { try await store.finishAttempt(part.id, state: .parked, error: "HTTP 404: channel_not_found", at: Date()) }

        let result = try await cli.run("doctor")
        let lines = result.stdout.split(separator: "\n").map(String.init)
        #expect(result.status == 1, "\(result)")
        #expect(lines.contains { $0.hasPrefix("problem  secrets: target chat:") && $0.contains("NARRATE_DOCTOR_UNSET_URL") }, "\(lines)")
        #expect(lines.contains("problem  targets: chat: 2 parts parked; the last error: HTTP 404: channel_not_found"), "\(lines)")
        #expect(lines.contains("         → fix the target (its URL, token or channel), then `narrate retry --all-parked`"))
        #expect(lines.contains { $0.hasPrefix("warning  daemon: no daemon answers on ") })
        #expect(lines.contains { $0.hasPrefix("ok       store: the store \(cli.stateDir)/narrate.sqlite opens") }, "\(lines)")
        // The tz database's version, read from the file the system has.
        let version = try String(contentsOfFile: "/usr/share/zoneinfo/tzdata.zi", encoding: .utf8).split(separator: "\n")[0].dropFirst("# version ".count)
        #expect(lines.contains("ok       clock: time zone data \(version) for Asia/Taipei"), "\(lines)")
        #expect(lines.contains { $0.contains("clock: the system clock is synchronised") || $0.contains("clock: cannot tell whether the system clock is synchronised") })

        // A store file another user made (a command run as root on the service's store).
        if getuid() == 0 {
            chown(cli.stateDir + "/narrate.sqlite", 65534, 65534)
            defer { chown(cli.stateDir + "/narrate.sqlite", 0, 0) }
            let owned = try await cli.run("doctor")
            let owner = String(cString: getpwuid(65534).pointee.pw_name)
            #expect(owned.stdout.contains("problem  store: \(cli.stateDir)/narrate.sqlite belongs to \(owner), the state directory to root: root cannot write it"), "\(owned.stdout)")
            #expect(owned.stdout.contains("         → chown root: \(cli.stateDir)/narrate.sqlite"))
        }

        let json = try await cli.run("doctor", "--json")
        let findings = try #require(try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [[String: Any]])
        #expect(findings.contains { $0["level"] as? String == "problem" && $0["area"] as? String == "targets" })
    }

    @Test func aRunningDaemonIsAskedThroughItsSocket() async throws {
        let runtime = "/tmp/narrate-dr-\(UUID().uuidString.prefix(8))"
        defer { try? FileManager.default.removeItem(atPath: runtime) }
        var cli = CLI()
        let daemon = try await ServeProcess(cli, command: ["run"], environment: ["RUNTIME_DIRECTORY": runtime])
        defer { daemon.stop() }
        _ = try await daemon.waitFor("local check-ins on \(runtime)/narrate.sock")
        cli.environment["NARRATE_SOCKET"] = runtime + "/narrate.sock"
        var result = try await cli.run("doctor")
        for _ in 0..<50 where !result.stdout.contains("ok       daemon: running") {
            try await Task.sleep(nanoseconds: 100_000_000)
            result = try await cli.run("doctor")
        }
        #expect(result.status == 0, "\(result)")
        #expect(result.stdout.contains("ok       daemon: running (\(NarrateVersion.string)), the scheduler last looked at 20"), "\(result.stdout)")
        #expect(try await daemon.stopped() == 0)
    }
}
