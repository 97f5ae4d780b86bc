import Foundation
import Testing
@testable import NarrateApp
@testable import NarrateModel

/// `narrate init` in a real terminal (tmux), answered as a new user would, typos included: the
/// config it writes passes `check`, the webhook URL is in a 0600 file and never on the screen,
/// and the test message reaches the loopback receiver.
@Suite struct InitTerminalTests {
    /// A tmux server of the test's own, with one window running `command`.
    final class Terminal: Sendable {
        let socket = "narrate-test-\(UUID().uuidString.prefix(8))"

        init(_ command: String) async throws {
            let started = try await ChildProcess.run("/usr/bin/tmux", ["-L", socket, "new-session", "-d", "-x", "120", "-y", "50", command])
            guard started.status == 0 else { throw NarrateError(.internal, "tmux: \(started.stderr)") }
        }

        func screen() async throws -> String {
            try await ChildProcess.run("/usr/bin/tmux", ["-L", socket, "capture-pane", "-p", "-J", "-S", "-200", "-t", "0"]).stdout
        }

        /// Waits (up to 20 s) until the screen's last line that says something contains `text`.
        @discardableResult
        func waitFor(_ text: String) async throws -> String {
            var shown = ""
            for _ in 0..<200 {
                shown = try await screen()
                let last = shown.split(separator: "\n").last { !$0.trimmingCharacters(in: .whitespaces).isEmpty } ?? ""
                if last.contains(text) { return shown }
                try await Task.sleep(nanoseconds: 100_000_000)
            }
            Issue.record("no \"\(text)\" on the screen:\n\(shown)")
            return shown
        }

        /// Types `text` and Enter once `prompt` is the last thing on the screen.
        func answer(_ prompt: String, _ text: String) async throws {
            try await waitFor(prompt)
            let before = try await screen()
            _ = try await ChildProcess.run("/usr/bin/tmux", ["-L", socket, "send-keys", "-t", "0", "-l", text])
            _ = try await ChildProcess.run("/usr/bin/tmux", ["-L", socket, "send-keys", "-t", "0", "Enter"])
            // The next question, or the same again with its reason.
            for _ in 0..<100 where try await screen() == before { try await Task.sleep(nanoseconds: 50_000_000) }
        }

        func close() async {
            _ = try? await ChildProcess.run("/usr/bin/tmux", ["-L", socket, "kill-server"])
        }
    }

    @Test func aNewUserAnswersInitsQuestionsAndTheTestMessageArrives() async throws {
        let receiver = try await Receiver()
        let directory = temporaryDirectory("init-terminal")
        let config = directory + "/etc/narrate.toml"
        let webhook = "http://127.0.0.1:\(receiver.port)/slack/T0001/B0002/kept-secret-part"
        let terminal = try await Terminal(
            "cd \(directory) && env -i PATH=/usr/bin:/bin HOME=\(directory) TZ=Asia/Taipei NARRATE_SOCKET= \(CLI.executable) init --config \(config) --state-dir \(directory)/state; echo \"EXIT $?\"; sleep 60")
        defer { Task { await terminal.close() } }

        try await terminal.answer("Team name:", "Platform")
        try await terminal.answer("person 1:", "Alice Chen, alice")
        try await terminal.answer("person 2:", "陳小明, ming")
        try await terminal.answer("person 3:", "")
        try await terminal.answer("Time zone [Asia/Taipei]:", "Mars/Base")
        try await terminal.answer("Time zone [Asia/Taipei]:", "")
        try await terminal.answer("Report language, en or zh-Hant [en]:", "zh-Hant")
        try await terminal.answer("day and time [Fri 17:00]:", "Fry 17:00")
        try await terminal.answer("day and time [Fri 17:00]:", "fri 17:30")
        try await terminal.answer("or none [slack]:", "")
        try await terminal.answer("not shown as you type):", "ftp://example.org")
        try await terminal.answer("not shown as you type):", webhook)
        try await terminal.answer("Post a test message to platform-chat now? [Y/n]:", "")
        let screen = try await terminal.waitFor("EXIT 0")

        #expect(screen.contains(#""Mars/Base" is not an IANA time zone"#), "\(screen)")
        #expect(screen.contains(#""Fry" is not a day of the week"#))
        #expect(screen.contains("a webhook URL starts with https://"))
        #expect(screen.contains("ok (1 team, 2 people, 0 KPIs, 1 schedule, 2 targets); 0 warnings"), "check passed on it: \(screen)")
        #expect(screen.contains("posted to platform-chat"))
        #expect(!screen.contains("kept-secret-part"), "the URL is not echoed")

        let messages = try await receiver.requests("/slack/T0001/B0002/kept-secret-part")
        #expect(messages.count == 1)
        let text = messages.first?.json["text"] as? String ?? ""
        #expect(text.contains("Platform 的週報將於每週五 17:30（Asia/Taipei）發到這裡"), "\(text)")

        let written = try String(contentsOfFile: config, encoding: .utf8)
        #expect(!written.contains("kept-secret-part"))
        #expect(written.contains(#"cron = "30 17 * * FRI""#) && written.contains(#"members = ["alice", "ming"]"#))
        let secret = directory + "/etc/credentials/platform-chat"
        #expect(try String(contentsOfFile: secret, encoding: .utf8) == webhook + "\n")
        let mode = (try FileManager.default.attributesOfItem(atPath: secret)[.posixPermissions] as? Int) ?? 0
        #expect(mode == 0o600, "mode \(String(mode, radix: 8))")

        // `check` on its own agrees, and Alice's first entry goes into the store init made.
        let cli = CLI(config: nil)
        let check = try await cli.run(["check", "--config", config])
        #expect(check.status == 0, "\(check.stderr)")
        let logged = try await cli.run(["log", "progress", "First entry", "--as", "alice", "--config", config])
        #expect(logged.status == 0 && logged.stdout == "P-1\n", "\(logged.stderr)")
        #expect(FileManager.default.fileExists(atPath: directory + "/state/narrate.sqlite"))
    }

    /// Ctrl-D stops the interview and nothing is written.
    @Test func theEndOfInputStopsWithNothingWritten() async throws {
        let directory = temporaryDirectory("init-terminal")
        let config = directory + "/narrate.toml"
        let terminal = try await Terminal(
            "env -i PATH=/usr/bin:/bin HOME=\(directory) NARRATE_SOCKET= \(CLI.executable) init --config \(config); echo \"EXIT $?\"; sleep 60")
        defer { Task { await terminal.close() } }
        try await terminal.answer("Team name:", "Platform")
        try await terminal.waitFor("person 1:")
        _ = try await ChildProcess.run("/usr/bin/tmux", ["-L", terminal.socket, "send-keys", "-t", "0", "C-d"])
        let screen = try await terminal.waitFor("EXIT 1")
        #expect(screen.contains("stopped; nothing was written"), "\(screen)")
        #expect(!FileManager.default.fileExists(atPath: config))
    }

    /// With flags and no terminal: the same config, no question, no message.
    @Test func flagsWriteTheConfigWithoutAsking() async throws {
        let cli = CLI(config: nil)
        let url = cli.directory + "/url"
        try "https://hooks.slack.com/services/T1/B2/x\n".write(toFile: url, atomically: true, encoding: .utf8)
        let config = cli.directory + "/narrate.toml"
        let written = try await cli.run([
            "init", "--config", config, "--team", "Support", "--member", "Frank Ho, frank", "--member", "Gina Lai",
            "--timezone", "Europe/Berlin", "--slot", "Mon 09:00", "--chat", "discord", "--webhook-url-file", url,
        ])
        #expect(written.status == 0, "\(written.stderr)")
        let text = try String(contentsOfFile: config, encoding: .utf8)
        #expect(text.contains(#"members = ["frank", "gina-lai"]"#) && text.contains(#"cron = "0 9 * * MON""#) && text.contains(#"kind = "discord""#), "\(text)")
        #expect(!text.contains("hooks.slack.com"))
        #expect(try await cli.run(["check", "--config", config]).status == 0)
        let bad = try await cli.run(["init", "--config", cli.directory + "/other.toml", "--team", "X", "--member", "A", "--slot", "Fry 9:00"])
        #expect(bad.status == 1 && bad.stderr.contains(#""Fry" is not a day of the week"#), "\(bad.stderr)")
        #expect(!FileManager.default.fileExists(atPath: cli.directory + "/other.toml"))
    }
}
