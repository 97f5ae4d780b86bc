import Foundation
import Testing
@testable import NarrateDelivery
@testable import NarrateModel
@testable import NarrateTOML
@testable import NarrateConfig
@testable import NarrateReport
@testable import NarrateTargets
@testable import NarratePlatform
@testable import NarrateStore

/// `narrate log` on the server, as oneself, lands in the daemon's store through its local
/// socket; the kernel names the caller, so nobody writes as somebody else.
@Suite struct CheckInSocketTests {
    static func userName(_ uid: uid_t = getuid()) -> String {
        guard let entry = getpwuid(uid), let name = entry.pointee.pw_name else { return "uid\(uid)" }
        return String(cString: name)
    }

    /// A CLI whose config names a socket, with alice's `unix_user` = `aliceUser`, bob's = `bobUser`.
    static func setup(aliceUser: String, bobUser: String = "bob") -> (CLI, socket: String, daemonState: String) {
        let directory = temporaryDirectory("socket")
        // sun_path holds 108 bytes: keep the socket's path short.
        let socket = "/tmp/narrate-\(UUID().uuidString.prefix(8)).sock"
        var text = exampleConfig(replacing: "unix_user = \"alice\"", with: "unix_user = \"\(aliceUser)\"")
        text = text.replacingOccurrences(of: "unix_user = \"bob\"", with: "unix_user = \"\(bobUser)\"")
        text += "\n[http]\nlisten = \"127.0.0.1:0\"\nsocket = \"\(socket)\"\n"
        var cli = CLI(config: text)
        cli.environment.removeValue(forKey: "NARRATE_SOCKET")
        _ = directory
        return (cli, socket, cli.directory + "/daemon-state")
    }

    @Test func commandsOnTheServerGoThroughTheSocketIntoTheDaemonsStore() async throws {
        let (cli, socket, daemonState) = Self.setup(aliceUser: Self.userName())
        defer { unlink(socket) }
        let serve = try await ServeProcess(cli, command: ["serve", "--state-dir", daemonState])
        defer { serve.stop() }
        _ = try await serve.waitFor("local check-ins on \(socket)")

        let logged = try await cli.run("log", "blocker", "Waiting on legal", "--stage", "middle")
        #expect(logged.status == 0, "\(logged.stderr)")
        let id = logged.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        #expect(id.hasPrefix("B-"))
        #expect(try await cli.run("edit", id, "Waiting on legal review").status == 0)
        #expect(try await cli.run("resolve", id, "--note", "signed").stdout.contains("\(id) resolved"))
        #expect(try await cli.run("mood", "4", "--load", "2").status == 0)
        #expect(try await cli.run("metric", "record", "lead-time", "26.5").stdout.contains("recorded lead-time = 26.5"))
        // A wrong reading: listed with its author, deleted at the time listed, recorded again.
        #expect(try await cli.run("metric", "record", "lead-time", "99", "--at", "-1h").status == 0)
        let readings = try await cli.run("metric", "list", "lead-time", "--json")
        let wrong = (try JSONSerialization.jsonObject(with: Data(readings.stdout.utf8)) as? [[String: Any]] ?? []).first
        #expect(wrong?["value"] as? Double == 99 && wrong?["author"] as? String == "alice" && wrong?["origin"] as? String == "cli", "\(readings.stdout) \(readings.stderr)")
        let deleted = try await cli.run("metric", "delete", "lead-time", "--at", wrong?["at"] as? String ?? "")
        #expect(deleted.status == 0 && deleted.stdout.hasPrefix("deleted lead-time = 99 at "), "\(deleted.stderr)")
        let again = try await cli.run("metric", "delete", "lead-time", "--at", wrong?["at"] as? String ?? "")
        #expect(again.status == 1 && again.stderr.contains("lead-time has no reading at "), "\(again.stderr)")
        let next = try await cli.run("log", "next", "Book the review").stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        #expect(try await cli.run("delete", next).status == 0)
        #expect(try await cli.run("undo").stdout.contains("\(next) is back"))

        // Days away too: recorded, listed and cancelled in the daemon's store.
        let away = try await cli.run("away", "--from", "2031-03-02", "--to", "2031-03-06")
        #expect(away.status == 0, "\(away.stderr)")
        #expect(away.stdout.hasPrefix("alice away 2031-03-02 to 2031-03-06 (id "), "\(away.stdout)")
        let awayID = away.stdout.split(separator: " ").last.map { $0.trimmingCharacters(in: CharacterSet(charactersIn: ")\n")) } ?? ""
        #expect(try await cli.run("away", "--from", "2031-03-09", "--to", "2031-03-10").status == 0)
        let listed = try await cli.run("away", "list", "--since", "2031-03-01", "--json")
        let absences = try JSONSerialization.jsonObject(with: Data(listed.stdout.utf8)) as? [[String: Any]] ?? []
        #expect(absences.map { $0["from"] as? String } == ["2031-03-02", "2031-03-09"], "\(listed.stdout) \(listed.stderr)")
        #expect(try await cli.run("away", "cancel", awayID).stdout == "cancelled: alice away 2031-03-02 to 2031-03-06\n")
        let backwards = try await cli.run("away", "--from", "2031-04-02", "--to", "2031-04-01")
        #expect(backwards.status == 1 && backwards.stderr.contains("\"from\" 2031-04-02 is after \"to\" 2031-04-01"), "\(backwards.stderr)")

        // The daemon's store has them, as alice; the caller's own state dir was never made.
        let store = try SQLiteStore(readOnly: daemonState + "/narrate.sqlite")
        let daysAway = try store.absences(overlapping: LocalDate(year: 2031, month: 1, day: 1), LocalDate(year: 2031, month: 12, day: 31))
        #expect(daysAway.map(\.person) == ["alice"] && daysAway.first?.from == LocalDate(year: 2031, month: 3, day: 9))
        let entries = try await store.entries(from: Date().addingTimeInterval(-120), to: Date().addingTimeInterval(120))
        #expect(entries.map(\.person) == ["alice", "alice"])
        #expect(entries.first?.state == .resolved)
        #expect(entries.first?.text == "Waiting on legal review")
        #expect(try store.metricCount() == 1)
        #expect(!FileManager.default.fileExists(atPath: cli.stateDir))
        let history = try await cli.run("history", "--state-dir", daemonState)
        #expect(history.stdout.contains("Waiting on legal review"), "\(history.stdout)")

        // A refusal comes back with the daemon's words and exit 1; nothing is stored.
        let refused = try await cli.run("log", "progress", "x", "--kpi", "nope")
        #expect(refused.status == 1)
        #expect(refused.stderr.contains("unknown KPI \"nope\""))
        #expect(try store.entryCount() == 2)

        // A daemon that went away: a clear error, and nothing written anywhere else.
        #expect(try await serve.stopped() == 0)
        #expect(!FileManager.default.fileExists(atPath: socket), "the service removes its socket on shutdown, or leaves one nobody answers")
    }

    /// Three system users for the socket tests (made once; the tests run as root).
    static func testUsers() async throws -> [String] {
        let users = ["narrate-ta", "narrate-tb", "narrate-tc"]
        for user in users where getpwnam(user) == nil {
            let add = try await ChildProcess.run("/usr/sbin/useradd", ["--system", "--no-create-home", "--shell", "/usr/sbin/nologin", user])
            try #require(add.status == 0, "useradd \(user): \(add.stderr)")
        }
        return users
    }

    /// A copy of the binary in a directory the test users can reach, with the config readable;
    /// returns that directory.
    static func binaryForTestUsers(_ cli: CLI) throws -> String {
        let bin = temporaryDirectory("bin")
        try FileManager.default.copyItem(atPath: CLI.executable, toPath: bin + "/narrate")
        for path in [temporaryRoot, bin, cli.directory] { chmod(path, 0o755) }
        chmod(cli.directory + "/narrate.toml", 0o644)
        return bin
    }

    @Test func twoUnixUsersEachWriteAsThemselvesAndOnlyAsThemselves() async throws {
        guard getuid() == 0 else {
            print("skipped: creating two test users needs root (this test runs as \(Self.userName()))")
            return
        }
        let users = try await Self.testUsers()
        let (cli, socket, daemonState) = Self.setup(aliceUser: users[0], bobUser: users[1])
        defer { unlink(socket) }
        let bin = try Self.binaryForTestUsers(cli)

        let serve = try await ServeProcess(cli, command: ["serve", "--state-dir", daemonState])
        defer { serve.stop() }
        _ = try await serve.waitFor("local check-ins on \(socket)")

        func run(as user: String, _ arguments: String...) async throws -> CLI.Result {
            try await cli.run(
                ["-u", user, "--", bin + "/narrate"] + arguments, environment: ["HOME": "/nonexistent", "USER": "alice"],
                executable: "/usr/sbin/runuser")
        }
        let alice = try await run(as: users[0], "log", "progress", "alice's own words")
        #expect(alice.status == 0, "\(alice.stderr)")
        let bob = try await run(as: users[1], "log", "progress", "bob's own words")
        #expect(bob.status == 0, "\(bob.stderr)")
        // $USER says alice, but the kernel says narrate-tb: --as and $USER do not make bob alice.
        let forged = try await run(as: users[1], "log", "progress", "pretending", "--as", "alice")
        #expect(forged.status == 1)
        #expect(forged.stderr.contains("needs an admin"), "\(forged.stderr)")
        let stranger = try await run(as: users[2], "log", "progress", "who am I")
        #expect(stranger.status == 1)
        #expect(stranger.stderr.contains("no person has unix_user = \"\(users[2])\""), "\(stranger.stderr)")
        // bob cannot change alice's entry either.
        let aliceID = alice.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        let edit = try await run(as: users[1], "edit", aliceID, "bob was here")
        #expect(edit.status == 1)

        let store = try SQLiteStore(readOnly: daemonState + "/narrate.sqlite")
        let entries = try await store.entries(from: Date().addingTimeInterval(-120), to: Date().addingTimeInterval(120))
        #expect(entries.map { "\($0.person): \($0.text)" } == ["alice: alice's own words", "bob: bob's own words"])
    }

    /// history, preview, reports and schedule go through the daemon's socket too: people on the
    /// server read without root and without the store file, and see their own teams only.
    @Test func readingCommandsGoThroughTheSocketAsTheUnixUser() async throws {
        guard getuid() == 0 else {
            print("skipped: creating test users needs root (this test runs as \(Self.userName()))")
            return
        }
        let users = try await Self.testUsers()
        let (cli, socket, daemonState) = Self.setup(aliceUser: users[0], bobUser: users[1])
        defer { unlink(socket) }
        let config = try String(contentsOfFile: cli.directory + "/narrate.toml", encoding: .utf8)
        write(config.replacingOccurrences(of: "\n[http]\n", with: """

            [[person]]
            id = "frank"
            name = "Frank Ho"
            unix_user = "\(users[2])"

            [[team]]
            id = "support"
            name = "Support"
            members = ["frank"]
            targets = ["terminal"]

            [http]

            """), to: cli.directory + "/narrate.toml")
        let bin = try Self.binaryForTestUsers(cli)
        let serve = try await ServeProcess(cli, command: ["serve", "--state-dir", daemonState])
        defer { serve.stop() }
        _ = try await serve.waitFor("local check-ins on \(socket)")

        func run(as user: String, _ arguments: String...) async throws -> CLI.Result {
            try await cli.run(["-u", user, "--", bin + "/narrate"] + arguments, environment: ["HOME": "/nonexistent"], executable: "/usr/sbin/runuser")
        }
        await #expect(try run(as: users[0], "log", "blocker", "Waiting on legal").status == 0)
        await #expect(try run(as: users[2], "log", "progress", "Answered the refund tickets").status == 0)
        // The store is the daemon's: the users cannot open it, and need not.
        await #expect(try run(as: users[0], "history", "--state-dir", daemonState).status == 1)

        let history = try await run(as: users[0], "history")
        #expect(history.status == 0 && history.stdout.contains("Waiting on legal"), "\(history.stderr)")
        #expect(!history.stdout.contains("refund tickets"), "another team's entries")
        let theirs = try await run(as: users[0], "history", "--team", "support")
        #expect(theirs.status == 1 && theirs.stderr.contains("not yours"), "\(theirs.stderr)")

        let preview = try await run(as: users[0], "preview", "--team", "platform")
        #expect(preview.status == 0 && preview.stdout.contains("# Platform") && preview.stdout.contains("Waiting on legal"), "\(preview.stderr)")
        await #expect(try run(as: users[0], "preview", "--team", "support").status == 1)
        let digest = try await run(as: users[0], "preview", "--team", "platform", "--digest")
        #expect(digest.status == 1 && digest.stderr.contains("for its manager and admins only"), "\(digest.stderr)")
        let own = try await run(as: users[2], "preview")
        #expect(own.status == 0 && own.stdout.hasPrefix("# Support") && !own.stdout.contains("# Platform"), "a person's own teams only: \(own.stdout)")

        let reports = try await run(as: users[0], "reports")
        #expect(reports.status == 0 && reports.stdout.contains("no reports yet"), "\(reports.stderr)")
        let schedule = try await run(as: users[0], "schedule", "--json")
        #expect(schedule.status == 0 && schedule.stdout.contains("\"id\" : \"platform-weekly\""), "\(schedule.stdout) \(schedule.stderr)")
    }
}

/// The check-in service inside `narrate run`, as systemd starts it: the socket in
/// `$RUNTIME_DIRECTORY`, `[http]` on loopback, `/healthz` telling the scheduler's last tick.
@Suite struct DaemonCheckInTests {
    @Test func theDaemonServesCheckInsAndReportsItsSchedulerHealth() async throws {
        let runtime = "/tmp/narrate-rt-\(UUID().uuidString.prefix(8))"
        defer { try? FileManager.default.removeItem(atPath: runtime) }
        var cli = CLI(config: exampleConfig(replacing: "unix_user = \"alice\"", with: "unix_user = \"\(CheckInSocketTests.userName())\"")
            + "\n[http]\nlisten = \"127.0.0.1:0\"\n")
        let daemon = try await ServeProcess(cli, command: ["run"], environment: ["RUNTIME_DIRECTORY": runtime])
        defer { daemon.stop() }
        let port = try await daemon.port()
        _ = try await daemon.waitFor("local check-ins on \(runtime)/narrate.sock")

        cli.environment["NARRATE_SOCKET"] = runtime + "/narrate.sock"
        let logged = try await cli.run("log", "win", "Checked in while the daemon runs")
        #expect(logged.status == 0, "\(logged.stderr)")

        let health = try await liveTransport.send(HTTPRequest(method: "GET", url: "http://127.0.0.1:\(port)/healthz"))
        #expect(health.status == 200, "\(String(decoding: health.body, as: UTF8.self))")
        let body = try #require(try JSONSerialization.jsonObject(with: health.body) as? [String: Any])
        let scheduler = try #require(body["scheduler"] as? [String: Any])
        #expect(scheduler["ok"] as? Bool == true)
        #expect(scheduler["last_tick"] is String)

        let metrics = try await liveTransport.send(HTTPRequest(method: "GET", url: "http://127.0.0.1:\(port)/metrics"))
        #expect(String(decoding: metrics.body, as: UTF8.self).contains(#"narrate_checkins_total{channel="socket"} 1"#))

        #expect(try await daemon.stopped() == 0)
        let history = try await cli.run("history")
        #expect(history.stdout.contains("Checked in while the daemon runs"), "the daemon's store (the CLI's own here): \(history.stdout)")
    }
}
