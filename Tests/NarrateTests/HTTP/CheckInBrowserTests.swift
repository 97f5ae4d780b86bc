import Foundation
import Testing

/// The check-in page in a real browser (Debian's headless Chromium, driven over the DevTools
/// protocol by Tests/browser/checkin_page.py): a person writes a blocker and resolves another
/// through the forms, and both show up in `narrate history` and `narrate preview`. The
/// screenshot at phone width is kept in .build/test-artifacts/.
@Suite struct CheckInBrowserTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent()

    @Test func aCheckInAndAResolvedBlockerThroughThePageReachTheReport() async throws {
        let cli = CLI(config: exampleConfig() + "\n[http]\nlisten = \"127.0.0.1:0\"\n")
        let old = try await cli.run("log", "blocker", "Waiting on legal", "--as", "alice")
        let blocker = old.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        let created = try await cli.run("token", "create", "alice", "--json")
        #expect(created.status == 0, "\(created.stderr)")
        let token = try #require((try JSONSerialization.jsonObject(with: Data(created.stdout.utf8)) as? [String: Any])?["link_token"] as? String)

        let serve = try await ServeProcess(cli)
        defer { serve.stop() }
        let port = try await serve.port()

        let artifacts = Self.root.appendingPathComponent(".build/test-artifacts").path
        try FileManager.default.createDirectory(atPath: artifacts, withIntermediateDirectories: true)
        let screenshot = artifacts + "/checkin-phone.png"
        let teamShot = artifacts + "/team-page-phone.png"
        try? FileManager.default.removeItem(atPath: screenshot)
        try? FileManager.default.removeItem(atPath: teamShot)

        let driver = try await ChildProcess.run("/usr/bin/env", [
            "python3", Self.root.appendingPathComponent("Tests/browser/checkin_page.py").path,
            "http://127.0.0.1:\(port)/checkin/\(token)", blocker, screenshot, "http://127.0.0.1:\(port)/teams/platform", teamShot,
        ])
        let output = Data(driver.stdout.utf8)
        try #require(driver.status == 0, "the browser driver failed: \(driver.stderr)")
        let summary = try #require(try JSONSerialization.jsonObject(with: output) as? [String: Any])

        #expect(summary["labelled"] as? Bool == true, "every form field has a label")
        #expect((summary["width"] as? Int).map { $0 <= 360 } == true, "no sideways scrolling at 360 px: \(summary)")
        let saved = try #require(summary["after_log"] as? String)
        #expect(saved.hasPrefix("Saved B-"), "\(summary)")
        #expect(summary["after_resolve"] as? String == "\(blocker) closed.")
        let newBlocker = String(saved.dropFirst("Saved ".count).dropLast())
        #expect(summary["open_items"] as? [String] == [newBlocker])
        #expect((summary["screenshot_bytes"] as? Int ?? 0) > 10_000)
        #expect(FileManager.default.fileExists(atPath: screenshot))
        // The team page, opened in the same browser thanks to the check-in page's cookie.
        #expect(summary["team_charts"] as? Int == 4, "\(summary)")
        #expect((summary["team_chart_width"] as? Double).map { $0 > 200 && $0 <= 360 } == true, "\(summary)")
        #expect((summary["team_heading"] as? String)?.hasPrefix("Platform") == true, "\(summary)")
        #expect(FileManager.default.fileExists(atPath: teamShot))

        let history = try await cli.run("history", "--person", "alice")
        #expect(history.stdout.contains("Waiting on the vendor contract"), "\(history.stdout)")
        let preview = try await cli.run("preview", "--team", "platform")
        #expect(preview.status == 0, "\(preview.stderr)")
        #expect(preview.stdout.contains("Waiting on the vendor contract"), "\(preview.stdout)")
        #expect(preview.stdout.contains("Waiting on legal"), "the resolved blocker is reported as resolved: \(preview.stdout)")
        #expect(try await serve.stopped() == 0)
    }
}
