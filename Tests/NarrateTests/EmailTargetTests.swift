import Foundation
import Testing
@testable import NarrateModel
@testable import NarrateTOML
@testable import NarrateConfig
@testable import NarrateReport
@testable import NarrateTargets
@testable import NarratePlatform

/// The loopback SMTP server (`Tests/receiver/smtp_receiver.py`, aiosmtpd) in its own process.
final class SMTPReceiver {
    let process: Spawned
    /// Its stdin: the receiver ends when this closes (the test's end).
    let input: FileHandle
    let directory = temporaryDirectory("smtp")
    let port: Int

    init(_ arguments: [String] = []) async throws {
        let script = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("receiver/smtp_receiver.py").path
        let (input, childInput) = try childPipe(childReads: true)
        let (output, childOutput) = try childPipe()
        self.input = input
        process = try await Spawned("/usr/bin/env", ["python3", script, directory] + arguments, stdin: childInput, stdout: childOutput)
        guard let port = announcedPort(output) else {
            throw NarrateError(.internal, "the SMTP receiver did not start (is aiosmtpd installed? scripts/setup.sh installs it)")
        }
        self.port = port
    }

    deinit {
        try? input.close()
        process.terminate()
    }

    /// The messages received, oldest first, as Python's email package reads them.
    func messages() async throws -> [[String: Any]] {
        let files = try FileManager.default.contentsOfDirectory(atPath: directory).filter { $0.hasSuffix(".eml") }.sorted()
        var messages: [[String: Any]] = []
        for name in files {
            let parser = try await ChildProcess.run("/usr/bin/env", [
                "python3", URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
                    .appendingPathComponent("receiver/parse_mail.py").path, directory + "/" + name,
            ])
            var message = (try JSONSerialization.jsonObject(with: Data(parser.stdout.utf8)) as? [String: Any]) ?? [:]
            let envelope = try Data(contentsOf: URL(fileURLWithPath: directory + "/" + name.replacingOccurrences(of: ".eml", with: ".json")))
            message["envelope"] = try JSONSerialization.jsonObject(with: envelope)
            messages.append(message)
        }
        return messages
    }
}

/// The `email` target: a real SMTP conversation over libcurl with a loopback aiosmtpd, the
/// message read back by Python's email package.
@Suite struct EmailTargetTests {
    static func cli(_ smtp: SMTPReceiver, extra: String = "", to: String = #"["lead@example.org", "team@example.org"]"#) -> CLI {
        let text = exampleConfig(replacing: #"locale = "en""#, with: #"locale = "zh-Hant""#)
            .replacingOccurrences(of: #"targets = ["terminal", "archive"]"#, with: #"targets = ["mail"]"#) + """

            [[target]]
            id = "mail"
            kind = "email"
            url = "smtp://127.0.0.1:\(smtp.port)"
            from = "narrate@example.org"
            to = \(to)
            \(extra)
            """
        var cli = CLI(config: text)
        cli.environment["SMTP_PASSWORD"] = "smtp-password-7f3e"
        return cli
    }

    @Test func aReportArrivesAsAReadableMultipartMessageWithAnEncodedChineseSubject() async throws {
        let smtp = try await SMTPReceiver(["--user", "narrate", "--password", "smtp-password-7f3e"])
        let cli = Self.cli(smtp, extra: "starttls = \"off\"\nusername = \"narrate\"\npassword_env = \"SMTP_PASSWORD\"")
        #expect(try await cli.run("check").status == 0)
        try await cli.run("log", "progress", "把部署流程拆成建置與發佈", "--as", "alice")
        let sent = try await cli.now()
        #expect(sent.status == 0, "\(sent.stderr)")
        let messages = try await smtp.messages()
        try #require(messages.count == 1)
        let message = messages[0]
        let envelope = message["envelope"] as? [String: Any]
        #expect(envelope?["to"] as? [String] == ["lead@example.org", "team@example.org"])
        #expect(envelope?["from"] as? String == "narrate@example.org")
        #expect(envelope?["login"] as? String == "narrate")

        let report = try await cli.run("reports", "show", "1").stdout
        let title = MailMessage.subject(of: report)
        #expect(title.contains("Platform"))
        #expect(message["subject"] as? String == title)
        #expect((message["raw_subject"] as? String)?.hasPrefix("=?UTF-8?B?") == true, "a non-ASCII subject is encoded")
        #expect(message["message_id"] as? String == "<report-1.mail.1@narrate.example.org>")
        #expect(message["content_type"] as? String == "multipart/alternative")
        #expect((message["defects"] as? [Any])?.isEmpty == true)
        #expect((message["long_lines"] as? [Any])?.isEmpty == true)
        #expect((message["date"] as? String)?.hasSuffix("+0000") == true)
        let parts = message["parts"] as? [[String: Any]] ?? []
        #expect(parts.map { $0["type"] as? String } == ["text/plain", "text/html"])
        #expect(parts.allSatisfy { $0["charset"] as? String == "utf-8" })
        let plain = parts.first?["text"] as? String ?? ""
        #expect(plain.contains("把部署流程拆成建置與發佈"))
        let html = parts.last?["text"] as? String ?? ""
        #expect(html.contains("<h1>") && html.contains("把部署流程拆成建置與發佈"))
        #expect(!sent.stderr.contains("smtp-password-7f3e") && !sent.stdout.contains("smtp-password-7f3e"))
    }

    @Test func aRejectedRecipientParksThePartWithTheServersWords() async throws {
        let smtp = try await SMTPReceiver(["--reject", "gone@example.org"])
        let cli = Self.cli(smtp, extra: "starttls = \"off\"", to: #"["gone@example.org"]"#)
        try await cli.run("log", "progress", "x", "--as", "alice")
        let sent = try await cli.now()
        #expect(sent.status == 1)
        let failed = try await cli.run("deliveries", "--failed").stdout
        #expect(failed.contains("SMTP 550"), "\(failed)")
        #expect(failed.contains("Recipient address rejected"), "\(failed)")
        await #expect(try smtp.messages().isEmpty)
    }

    @Test func aServerWithoutSTARTTLSIsRefusedWhenTLSIsRequired() async throws {
        let smtp = try await SMTPReceiver()
        let cli = Self.cli(smtp)
        try await cli.run("log", "progress", "x", "--as", "alice")
        let sent = try await cli.now()
        #expect(sent.status == 1)
        let failed = try await cli.run("deliveries", "--failed").stdout
        #expect(failed.contains("parked"), "\(failed)")
        await #expect(try smtp.messages().isEmpty, "nothing goes out in the clear")
    }

    @Test func emailSettingsThatCannotWorkAreConfigErrors() {
        func errors(_ lines: String) -> [String] {
            diagnostics(ExampleConfig.text + "\n[[target]]\nid = \"mail\"\nkind = \"email\"\n" + lines + "\n").filter { $0.severity == .error }
                .map { "\($0.keyPath): \($0.message)" }
        }
        #expect(errors("url = \"https://mail.example.org\"\nfrom = \"n@example.org\"").first?.hasPrefix("target[2].url: \"https://mail.example.org\" is not an SMTP URL") == true)
        #expect(errors("url = \"smtp://mail.example.org\"\nfrom = \"n@example.org\"\nstarttls = \"off\"").first?.hasPrefix("target[2].starttls: \"off\" sends the password") == true)
        #expect(errors("url = \"smtps://mail.example.org\"\nfrom = \"Narrate <n@example.org>\"").first?.hasPrefix("target[2].from:") == true)
        #expect(errors("url = \"smtps://mail.example.org\"\nfrom = \"n@example.org\"\nto = [\"a@example.org\\r\\nBcc: x@evil.example\"]").first?.hasPrefix("target[2].to:") == true)
        #expect(errors("url = \"smtps://mail.example.org:465\"\nfrom = \"n@example.org\"\nto = [\"a@example.org\"]").isEmpty)
    }
}
