import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing
@testable import NarrateApp
@testable import NarrateModel
@testable import NarrateTOML
@testable import NarrateConfig
@testable import NarrateReport
@testable import NarrateTargets
@testable import NarratePlatform
@testable import NarrateHTTP

/// The promise end to end: a person who never opens a shell is reminded by mail, checks
/// in through the link in it, and the report shows them as reported.
@Suite struct ReminderToReportTests {
    @Test func aRemindedPersonChecksInThroughTheMailedLinkAndIsReported() async throws {
        let smtp = try await SMTPReceiver()
        var text = exampleConfig(replacing: "catch_up = \"2h\"", with: "catch_up = \"2h\"\nremind_before = \"3h\"")
            .replacingOccurrences(of: "unix_user = \"alice\"", with: "unix_user = \"alice\"\nnotify = [\"mail:alice@example.org\"]")
        text += """

            [http]
            public_url = "https://narrate.example.org"

            [[target]]
            id = "mail"
            kind = "email"
            url = "smtp://127.0.0.1:\(smtp.port)"
            starttls = "off"
            from = "narrate@example.org"
            """
        let (context, _) = try exampleContext(config: text, clock: FixedClock(try time("2026-11-27 14:05", "Asia/Taipei")))
        let before = try await context.pipeline.run(try context.pipeline.plan(team: "platform"))[0][0].rendered.markdown
        #expect(before.contains("**Not yet, due Fri 27 Nov 17:00:** Alice Chen"), "the slot is at 17:00: \(before)")

        let planned = try await context.notices.reminders(for: context.config.schedules[0], now: context.clock.now())
        try await context.notices.send(planned.filter { $0.record.person == "alice" }, now: context.clock.now())
        _ = try await context.courier.deliver()
        let mail = try await #require(try smtp.messages().first)
        #expect((mail["envelope"] as? [String: Any])?["to"] as? [String] == ["alice@example.org"])
        #expect((mail["subject"] as? String)?.contains("Platform") == true)
        let plain = (mail["parts"] as? [[String: Any]])?.first?["text"] as? String ?? ""
        let link = try #require(plain.split(whereSeparator: \.isWhitespace).first { $0.hasPrefix("https://narrate.example.org/checkin/") })
        let path = String(link.dropFirst("https://narrate.example.org".count))
        let token = String(path.dropFirst("/checkin/".count))

        let server = CheckInServer(current: { context }, rate: 100)
        try await Application(router: server.router()).test(.router) { client in
            let page = try await client.execute(uri: path, method: .get)
            #expect(page.status == .ok)
            let form = formEncoded([("csrf", CheckInServer.formKey(token)), ("action", "log"), ("kind", "progress"), ("text", "Checked in from the reminder")])
            let saved = try await client.execute(
                uri: path, method: .post, headers: [.contentType: "application/x-www-form-urlencoded"], body: ByteBuffer(string: form))
            #expect(saved.status == .seeOther)
        }
        let after = try await context.pipeline.run(try context.pipeline.plan(team: "platform"))[0][0].rendered.markdown
        #expect(after.contains("Checked in from the reminder"))
        #expect(after.contains("**Reported:** Alice Chen"), "\(after.prefix(300))")
    }
}
