import Foundation
import Testing
@testable import NarrateApp
@testable import NarrateModel
@testable import NarrateTOML
@testable import NarrateConfig
@testable import NarrateReport
@testable import NarrateTargets
@testable import NarratePlatform
@testable import NarrateDelivery
@testable import NarrateStore

/// The `narrate` binary end to end, as a subprocess against a temporary state dir.
@Suite struct CLITests {
    @Test func initWritesTheExampleAndRefusesToOverwrite() async throws {
        let cli = CLI(config: nil)
        let first = try await cli.run("init", "--state-dir", cli.directory + "/state")
        #expect(first.status == 0)
        // The example, with the state dir it was given (theStoreIsWhereInitPutIt).
        #expect(try String(contentsOfFile: cli.directory + "/narrate.toml", encoding: .utf8) == ExampleConfig.text.replacingOccurrences(
            of: #"# state_dir = "/var/lib/narrate"  # default:"#, with: "state_dir = \"\(cli.directory)/state\"  # written by narrate init; default:") + "\n")
        #expect(FileManager.default.fileExists(atPath: cli.directory + "/state/narrate.sqlite"))
        let again = try await cli.run("init")
        #expect(again.status == 1)
        #expect(again.stderr.contains("already exists; pass --force"))
    }

    @Test func checkPrintsFileLineAndExitsOneOnErrors() async throws {
        let clean = try await CLI().run("check")
        #expect(clean.status == 0 && clean.stdout.isEmpty)
        #expect(clean.stderr.contains("ok (1 team, 5 people, 4 KPIs"))

        let text = exampleConfig(replacing: "kind = \"average\"", with: "kind = \"mean\"\ncolor = 1")
        let cli = CLI(config: text)
        let kindLine = lineNumber(of: "kind = \"mean\"", in: text)!
        #expect(kindLine > 40)
        let result = try await cli.run("check")
        #expect(result.status == 1)
        let lines = result.stdout.split(separator: "\n").map(String.init)
        let path = cli.directory + "/narrate.toml"
        #expect(lines.count == 2)
        #expect(lines[0].hasPrefix("\(path):\(kindLine): error: kpi[0].kind: \"mean\" is not one of"))
        #expect(lines[1] == "\(path):\(kindLine + 1): error: kpi[0].color: unknown key \"color\"")

        let json = try await cli.run("check", "--json")
        // The API's key style (`key_path`).
        let decoder = JSONDecoder()
        decoder.keyDecodingStrategy = .convertFromSnakeCase
        let decoded = try decoder.decode([Diagnostic].self, from: Data(json.stdout.utf8))
        #expect(decoded.map(\.line) == [kindLine, kindLine + 1] && json.status == 1)
    }

    @Test func warningsAloneExitZero() async throws {
        let cli = CLI(config: exampleConfig(replacing: "horizon = \"leading\"", with: "horizon = \"lagging\""))
        let result = try await cli.run("check")
        #expect(result.status == 0)
        #expect(result.stdout.contains(": warning: team[0]: every core KPI"))
    }

    @Test func missingConfigIsAClearError() async throws {
        let result = try await CLI(config: nil).run("check")
        #expect(result.status == 1)
        #expect(result.stdout.contains("narrate.toml:1: error: config file does not exist (narrate init writes an example)"))
        let log = try await CLI(config: nil).run("log", "progress", "x", "--as", "alice")
        #expect(log.status == 1 && log.stderr.contains("config file does not exist"))
    }

    @Test func logPrintsIdsAndDefaultsToTheUnixUser() async throws {
        let cli = CLI()

        let blocker = try await cli.run(["log", "blocker", "Waiting on the security review", "--stage", "middle"], environment: ["USER": "bob"])
        #expect(blocker.status == 0)
        #expect(blocker.stdout == "B-1\n")
        let next = try await cli.run("log", "next", "Ask infra for a bigger staging db", "--as", "alice", "--at", "2026-11-20 09:30")
        #expect(next.stdout == "N-2\n")
        // Empty lists print as [] (Foundation's pretty printer spread them over three lines).
        #expect(try await cli.run("away", "list", "--json").stdout == "[]\n")
        #expect(try await cli.run("history", "--json", "--person", "dana").stdout.contains(#""entries" : [],"#))
        let history = try await cli.run("history", "--json")
        let decoded = try JSONSerialization.jsonObject(with: Data(history.stdout.utf8)) as! [String: Any]
        let entries = decoded["entries"] as! [[String: Any]]
        #expect(entries.count == 2)
        #expect(entries.first { $0["id"] as? String == "B-1" }?["person"] as? String == "bob")
        #expect(entries.first { $0["id"] as? String == "B-1" }?["stage"] as? String == "middle")
        // Stored as a UTC instant, shown in the person's zone (Asia/Taipei).
        #expect(entries.first { $0["id"] as? String == "N-2" }?["at"] as? String == "2026-11-20T09:30:00+08:00")
    }

    @Test func unknownOrUnidentifiedPersonsListTheKnownIds() async throws {
        let cli = CLI()
        let unknown = try await cli.run("log", "progress", "x", "--as", "alcie")
        #expect(unknown.status == 1)
        #expect(unknown.stderr == "narrate: unknown person \"alcie\". Did you mean \"alice\"? Known: alice, bob, chen, dana, erin\n")
        let nobody = try await cli.run(["log", "progress", "x"], environment: ["USER": "root"])
        #expect(nobody.status == 1)
        #expect(nobody.stderr.contains("no person has unix_user = \"root\"; pass --as PERSON (known: alice, bob"))
    }

    @Test(arguments: [
        ("", "text is empty"),
        (String(repeating: "x", count: 2_001), "text is 2001 characters long; at most 2000 are allowed"),
        ("line one\nline two", "control character U+000A at position 9"),
        ("bell\u{07}", "control character U+0007"),
    ])
    func badTextIsRejectedAndNothingIsStored(text: String, message: String) async throws {
        let cli = CLI()
        let result = try await cli.run("log", "progress", text, "--as", "alice")
        #expect(result.status == 1)
        #expect(result.stderr.contains(message))
        #expect(try await cli.run("history").stdout.hasPrefix("no entries\n(looked in "))
    }

    @Test func usageErrorsExitTwo() async throws {
        let cli = CLI()
        #expect(try await cli.run("log", "progres", "x").status == 2)
        #expect(try await cli.run("log", "blocker", "x", "--as", "alice", "--stage", "sideways").status == 2)
        #expect(try await cli.run("frobnicate").status == 2)
        let help = try await cli.run("--help")
        #expect(help.status == 0 && help.stdout.contains("SUBCOMMANDS"))
    }

    @Test func stageIsForBlockersAndKPIsMustExist() async throws {
        let cli = CLI()
        let staged = try await cli.run("log", "progress", "x", "--as", "alice", "--stage", "front")
        #expect(staged.status == 1 && staged.stderr.contains("--stage applies to blockers only"))
        let kpi = try await cli.run("log", "progress", "x", "--as", "alice", "--kpi", "lead-tim")
        #expect(kpi.status == 1 && kpi.stderr.contains("unknown KPI \"lead-tim\". Did you mean \"lead-time\"?"))
        #expect(try await cli.run("log", "progress", "x", "--as", "alice", "--kpi", "lead-time").status == 0)
    }

    @Test func resolveDoneAndDropCloseEntries() async throws {
        let cli = CLI()
        #expect(try await cli.run("log", "blocker", "b", "--as", "alice").stdout == "B-1\n")
        #expect(try await cli.run("log", "next", "n", "--as", "alice").stdout == "N-2\n")
        #expect(try await cli.run("log", "next", "m", "--as", "alice").stdout == "N-3\n")

        let resolved = try await cli.run("resolve", "B-1", "--note", "security signed off")
        #expect(resolved.status == 0 && resolved.stdout == "B-1 resolved\n")
        #expect(try await cli.run("done", "n-2").stdout == "N-2 done\n")
        #expect(try await cli.run("drop", "3", "--note", "not needed").stdout == "N-3 dropped\n")

        let twice = try await cli.run("resolve", "B-1")
        #expect(twice.status == 1 && twice.stderr.contains("B-1 is already resolved"))
        let wrong = try await cli.run("done", "B-1")
        #expect(wrong.status == 1 && wrong.stderr.contains("narrate done works on next actions"))
        let garbage = try await cli.run("done", "yesterday")
        #expect(garbage.status == 1 && garbage.stderr.contains("is not an entry id"))

        let history = try await cli.run("history", "--person", "alice").stdout
        #expect(history.contains("B-1  alice  blocker (resolved)  b  — security signed off"))
        #expect(history.contains("N-3  alice  next (dropped)  m  — not needed"))
        // Each time says its offset (Alice is in Asia/Taipei): people in other zones sort among them.
        #expect(history.contains(#/\d{4}-\d{2}-\d{2} \d{2}:\d{2} \+08:00  B-1  alice/#), "\(history)")
    }

    @Test func awayMoodAndMetricRecord() async throws {
        let cli = CLI()
        #expect(try await cli.run("away", "dana", "--from", "2026-11-23", "--to", "2026-11-27").stdout == "dana away 2026-11-23 to 2026-11-27 (id 1)\n")
        let backwards = try await cli.run("away", "dana", "--from", "2026-11-27", "--to", "2026-11-23")
        #expect(backwards.status == 1 && backwards.stderr.contains("is after --to"))
        let badDate = try await cli.run("away", "dana", "--from", "2026-02-30", "--to", "2026-03-02")
        #expect(badDate.status == 1 && badDate.stderr.contains("\"2026-02-30\" is not a date"))

        #expect(try await cli.run("mood", "bob", "4", "--load", "3").status == 0)
        let mood = try await cli.run("mood", "bob", "6")
        #expect(mood.status == 1 && mood.stderr.contains("mood must be 1 to 5, got 6"))

        #expect(try await cli.run("metric", "record", "lead-time", "26.5", "--at", "2026-11-20").stdout == "recorded lead-time = 26.5\n")
        let notNumber = try await cli.run("metric", "record", "lead-time", "fast")
        #expect(notNumber.status == 1 && notNumber.stderr.contains("\"fast\" is not a number"))
        let store = try SQLiteStore(directory: cli.stateDir)
        #expect(try store.metricCount() == 1)
        #expect(try store.absences(overlapping: LocalDate(year: 2026, month: 11, day: 25), LocalDate(year: 2026, month: 11, day: 25)).count == 1)
        await #expect(try store.moods(from: .distantPast, to: .distantFuture).map(\.load) == [3])
    }

    @Test func metricImportWithABadRowImportsNothing() async throws {
        let cli = CLI()
        write("kpi,value,at\nlead-time,30,2026-11-17\nchange-failure-rate,x,2026-11-17\nlead-time,28,2026-11-18\n", to: cli.directory + "/bad.csv")
        let bad = try await cli.run("metric", "import", "bad.csv")
        #expect(bad.status == 1)
        #expect(bad.stderr.contains("bad.csv:3: \"x\" is not a number"))
        #expect(bad.stderr.contains("nothing was imported from bad.csv"))
        #expect(try SQLiteStore(directory: cli.stateDir).metricCount() == 0)

        write("kpi,value,at\nlead-time,30,2026-11-17\nchange-failure-rate,12,2026-11-17\n", to: cli.directory + "/good.csv")
        let good = try await cli.run("metric", "import", "good.csv")
        #expect(good.status == 0 && good.stdout == "imported 2 readings\n")
        #expect(try SQLiteStore(directory: cli.stateDir).metricCount() == 2)
    }

    @Test func stateDirFollowsFlagThenSystemdThenXDG() async throws {
        let cli = CLI()
        _ = try await cli.run(["log", "win", "w", "--as", "alice"], environment: ["STATE_DIRECTORY": cli.directory + "/systemd"])
        _ = try await cli.run("log", "win", "w", "--as", "alice", "--state-dir", cli.directory + "/flag")
        _ = try await cli.run("log", "win", "w", "--as", "alice")
        for directory in ["systemd", "flag", "xdg/narrate"] {
            #expect(try SQLiteStore(directory: cli.directory + "/" + directory).entryCount() == 1, "\(directory)")
        }
    }

    /// A store the config cannot move (systemd's state dir, or a flag) is opened while the config
    /// is read; a broken config still stops the command with its own error, and a state dir
    /// with no store yet is not made for a command that fails.
    @Test func aStoreKnownBeforeTheConfigIsOpenedAlongsideIt() async throws {
        let cli = CLI()
        let systemd = ["STATE_DIRECTORY": cli.directory + "/systemd"]
        #expect(try await cli.run(["log", "win", "Shipped the importer", "--as", "alice"], environment: systemd).status == 0)
        let history = try await cli.run(["history"], environment: systemd)
        #expect(history.status == 0 && history.stdout.contains("Shipped the importer"), "\(history)")

        write(exampleConfig(replacing: "kind = \"average\"", with: "kind = \"mean\""), to: cli.directory + "/narrate.toml")
        let broken = try await cli.run(["history"], environment: systemd)
        #expect(broken.status == 1 && broken.stderr.contains("kpi[0].kind"), "\(broken)")
        #expect(try SQLiteStore(directory: cli.directory + "/systemd").entryCount() == 1)
        let fresh = try await cli.run("history", "--state-dir", cli.directory + "/fresh")
        #expect(fresh.status == 1 && fresh.stderr.contains("kpi[0].kind"))
        #expect(!FileManager.default.fileExists(atPath: cli.directory + "/fresh"))
    }

    @Test func twoProcessesLoggingAtOnceBothSucceed() async throws {
        let cli = CLI()
        _ = try await cli.run("log", "progress", "warm up", "--as", "alice")  // the store exists; both race on writes
        let all = try await withThrowingTaskGroup(of: CLI.Result.self) { group in
            for index in 0..<8 {
                group.addTask { try await cli.run("log", "progress", "entry \(index)", "--as", index % 2 == 0 ? "alice" : "bob") }
            }
            return try await group.reduce(into: []) { $0.append($1) }
        }
        #expect(all.allSatisfy { $0.status == 0 })
        #expect(Set(all.map(\.stdout)).count == 8)
        #expect(try SQLiteStore(directory: cli.stateDir).entryCount() == 9)
    }

    @Test func twoProcessesCreatingTheStoreAtOnceBothSucceed() async throws {
        let cli = CLI()
        let statuses = try await withThrowingTaskGroup(of: Int32.self) { group in
            for index in 0..<4 {
                group.addTask { try await cli.run("log", "progress", "first \(index)", "--as", "chen").status }
            }
            return try await group.reduce(into: []) { $0.append($1) }
        }
        #expect(statuses == [0, 0, 0, 0])
        #expect(try SQLiteStore(directory: cli.stateDir).entryCount() == 4)
    }

    @Test func historyFiltersByTeamPersonAndDay() async throws {
        let cli = CLI()
        _ = try await cli.run("log", "progress", "old", "--as", "alice", "--at", "2026-11-01")
        _ = try await cli.run("log", "progress", "new", "--as", "bob", "--at", "2026-11-20")
        let since = try await cli.run("history", "--since", "2026-11-10").stdout
        #expect(since.contains("new") && !since.contains("old"))
        #expect(try await cli.run("history", "--person", "alice").stdout.contains("old"))
        #expect(!(try await cli.run("history", "--person", "alice").stdout.contains("new")))
        #expect(try await cli.run("history", "--team", "nope").status == 1)
    }
}

import Synchronization

/// `narrate demo` and `narrate preview` on the example config.
@Suite struct PreviewCLITests {
    @Test func demoPrintsAndArchivesTheReportOnce() async throws {
        let cli = CLI()
        let first = try await cli.run("demo")
        #expect(first.status == 0)
        let document = MarkdownDocument(parsing: first.stdout).root
        let titles = document.descendants.filter { $0.type == "heading" && $0.level == 2 }.map(\.plainText)
        #expect(titles == ["Asks and decisions", "KPIs", "Small improvements", "Blockers by stage", "People", "Load and mood"])
        #expect(first.stdout.contains("⚠️ **Side effect:** PR lead time moved the better way"))
        #expect(first.stdout.contains("**Away:** Dana Hsu"))
        // Eight weeks of readings: every KPI and guardrail row shows a trend (two sparklines).
        let rows = first.stdout.split(separator: "\n").filter { $0.hasPrefix("| PR lead time") || $0.hasPrefix("| Deploys per week") }
        #expect(rows.count == 2 && rows.allSatisfy { row in row.filter { "▁▂▃▄▅▆▇█".contains($0) }.count >= 12 }, "\(rows)")
        let archived = first.stdout.split(separator: "\n").last!.replacingOccurrences(of: "report written to ", with: "")
        #expect(archived.hasPrefix(cli.stateDir + "/reports/platform-"))
        let file = try String(contentsOfFile: archived, encoding: .utf8)
        #expect(first.stdout.hasPrefix(file))

        let entries = try SQLiteStore(directory: cli.stateDir).entryCount()
        #expect(try await cli.run("demo").status == 0)
        #expect(try SQLiteStore(directory: cli.stateDir).entryCount() == entries, "a second demo reuses the week")
    }

    @Test func previewShowsTheCurrentPeriodAndSendsNothing() async throws {
        let cli = CLI()
        #expect(try await cli.run("log", "progress", "Shipped the *new* login", "--as", "alice").status == 0)
        let result = try await cli.run("preview", "--team", "platform")
        #expect(result.status == 0)
        #expect(result.stdout.contains("Shipped the \\*new\\* login"))
        // Missing once the week's Friday 17:00 slot has passed, "not yet" before it.
        #expect(result.stdout.contains("**No report:** Bob Lin, Chen Wei, Dana Hsu")
            || result.stdout.contains(":** Bob Lin, Chen Wei, Dana Hsu") && result.stdout.contains("**Not yet, due "), "\(result.stdout)")
        let chinese = try await cli.run("preview", "--locale", "zh-Hant", "--period", "month")
        #expect(chinese.stdout.hasPrefix("# Platform · 20"))
        #expect(chinese.stdout.contains("## 成員工作敘事"))
        let json = try await cli.run("preview", "--json", "--schedule", "platform-weekly")
        let decoded = try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as! [[String: Any]]
        #expect(decoded.count == 1 && decoded[0]["team"] as? String == "platform")
        #expect((decoded[0]["markdown"] as? String)?.hasPrefix("# Platform · week of") == true)
        #expect(try await cli.run("history").stdout.contains("runs:") == false, "preview records no run")
        let slack = try await cli.run("preview", "--team", "platform", "--target", "terminal")
        #expect(slack.stdout == result.stdout, "a stdout target gets the CommonMark as it is")
        let unknown = try await cli.run("preview", "--target", "pager")
        #expect(unknown.status == 1 && unknown.stderr.contains("unknown target \"pager\""))
        let bad = try await cli.run("preview", "--locale", "fr")
        #expect(bad.status == 1 && bad.stderr.contains("unknown locale \"fr\""))
    }

    @Test func missingTemplatesDirIsAConfigError() async throws {
        let cli = CLI(config: exampleConfig(replacing: "# templates_dir = \"templates\"", with: "templates_dir = \"nowhere\""))
        let result = try await cli.run("check")
        #expect(result.status == 1)
        #expect(result.stdout.contains("narrate.templates_dir: \(cli.directory)/nowhere is not a directory"))
    }

    @Test func brokenUserTemplateStopsTheReportWithItsPosition() async throws {
        let cli = CLI(config: exampleConfig(replacing: "# templates_dir = \"templates\"", with: "templates_dir = \"mine\""))
        write("{{% CONTENT_TYPE: TEXT }}\n# {{team}\n", to: cli.directory + "/mine/en/team-report.mustache")
        let result = try await cli.run("preview")
        #expect(result.status == 1)
        #expect(result.stderr.contains("template en/team-report (\(cli.directory)/mine/en/team-report.mustache):2:"))
        #expect(result.stdout.isEmpty)
    }
}

/// What a new user types in their first minutes (#25).
@Suite struct FirstMinutesTests {
    /// A misspelt command is named, with the nearest one, and exits 2; ArgumentParser blamed the
    /// first option after it (`Unknown option '--config'`), and `help lgo` printed the main help.
    @Test func aMisspeltCommandIsNamedWithTheNearestOne() async throws {
        let cli = CLI()
        let typo = try await cli.run("lgo", "progress", "x", "--config", cli.directory + "/narrate.toml")
        #expect(typo.status == 2 && typo.stderr.contains("unknown command 'lgo'; did you mean 'log'?"), "\(typo.stderr)")
        let preview = try await cli.run("preveiw")
        #expect(preview.status == 2 && preview.stderr.contains("did you mean 'preview'?"))
        let help = try await cli.run("help", "lgo")
        #expect(help.status == 2 && help.stderr.contains("unknown command 'lgo'"))
        #expect(try await cli.run("help", "log").status == 0)
        // A misspelt subcommand is named the same way, with its group.
        let nested = try await cli.run("metric", "delte", "lead-time", "--config", cli.directory + "/narrate.toml")
        #expect(nested.status == 2 && nested.stderr.contains("unknown command 'metric delte'; did you mean 'metric delete'?"), "\(nested.stderr)")
        // A group with a default command takes the word as that command's argument.
        #expect(try await cli.run("away", "alice", "--from", "2031-03-02", "--to", "2031-03-03").status == 0)
    }

    /// A wrong reading could only be overwritten at the same instant: now it is listed with who
    /// recorded it and deleted at the time listed; an unknown one is an error.
    @Test func aWrongReadingIsListedAndDeleted() async throws {
        let cli = CLI()
        #expect(try await cli.run("metric", "record", "lead-time", "260", "--at", "2026-11-20T10:00").status == 0)
        #expect(try await cli.run("metric", "record", "change-failure-rate", "4", "--at", "2026-11-20T10:00").status == 0)
        #expect(try await cli.run("metric", "list", "--since", "-60d").status == 0, "a relative time after --since is its value")
        let listed = try await cli.run("metric", "list", "--since", "2026-11-01")
        let lines = listed.stdout.split(separator: "\n")
        #expect(lines.count == 2 && lines.allSatisfy { $0.hasPrefix("2026-11-20T10:00:00+08:00  ") }, "\(listed.stdout)\(listed.stderr)")
        #expect(lines.first?.contains("lead-time") == true && lines.first?.contains("260") == true && lines.first?.contains("(cli)") == true)
        let deleted = try await cli.run("metric", "delete", "lead-time", "--at", "2026-11-20T10:00:00+08:00")
        #expect(deleted.stdout == "deleted lead-time = 260 at 2026-11-20T10:00:00+08:00\n", "\(deleted.stderr)")
        #expect(try await cli.run("metric", "list", "lead-time", "--since", "2026-11-01").stdout == "no readings of lead-time since 2026-11-01\n")
        #expect(try await cli.run("metric", "list", "--since", "2026-11-01", "--json").stdout.contains(#""kpi" : "change-failure-rate""#))
        let missing = try await cli.run("metric", "delete", "lead-time", "--at", "2026-11-20T10:00:00+08:00")
        #expect(missing.status == 1 && missing.stderr.contains("lead-time has no reading at 2026-11-20T10:00:00+08:00"), "\(missing.stderr)")
        #expect(try await cli.run("metric", "delete", "nope", "--at", "2026-11-20").status == 1)
    }

    /// `-5` is a value, not an option.
    @Test func aNegativeReadingCanBeRecorded() async throws {
        let cli = CLI()
        let recorded = try await cli.run("metric", "record", "lead-time", "-5")
        #expect(recorded.status == 0 && recorded.stdout == "recorded lead-time = -5.0\n", "\(recorded.stderr)")
        #expect(try await cli.run("metric", "record", "lead-time").status == 2)
    }
}

extension FirstMinutesTests {
    /// At 09:00, `--at today` is now (it was noon, "in the future"), and `--since` takes the words
    /// `--at` takes.
    @Test func todayIsNowAndSinceTakesTheWordsAtTakes() async throws {
        let cli = CLI()
        let morning = ["NARRATE_TEST_CLOCK_START": "2026-11-27T09:00:00+08:00"]
        let logged = try await cli.run(["log", "progress", "Reviewed the spec", "--as", "alice", "--at", "today"], environment: morning, executable: CLI.testClockExecutable)
        #expect(logged.status == 0 && logged.stdout == "P-1\n", "\(logged.stderr)")
        let history = try await cli.run(["history", "--since", "yesterday", "--json"], environment: morning, executable: CLI.testClockExecutable)
        #expect(history.status == 0 && history.stdout.contains("Reviewed the spec"), "\(history.stderr)")
        #expect(try await cli.run(["history", "--since", "-2d"], environment: morning, executable: CLI.testClockExecutable).status == 0)
        // A relative time after its option is its value, not another option.
        let earlier = try await cli.run(["log", "progress", "Paired on the fix", "--as", "alice", "--at", "-2h"], environment: morning, executable: CLI.testClockExecutable)
        #expect(earlier.status == 0 && earlier.stdout == "P-2\n", "\(earlier.stderr)")
    }
}

extension FirstMinutesTests {
    /// `token list --json` for scripts, in the API's key style, without any token's text or hash.
    @Test func tokensListAsJSONWithoutTheirSecrets() async throws {
        let cli = CLI()
        let created = try await cli.run("token", "create", "alice")
        #expect(created.status == 0, "\(created.stderr)")
        let secret = try #require(created.stdout.split(separator: " ").last { $0.hasPrefix("nra_") }).trimmingCharacters(in: .whitespacesAndNewlines)
        let listed = try await cli.run("token", "list", "--json")
        let rows = try #require(try JSONSerialization.jsonObject(with: Data(listed.stdout.utf8)) as? [[String: Any]])
        #expect(Set(rows.compactMap { $0["scope"] as? String }) == ["link", "api"])
        #expect(rows.allSatisfy { $0["person"] as? String == "alice" && $0["created_at"] is String && $0["hash"] == nil })
        #expect(!listed.stdout.contains(secret) && !listed.stdout.contains(AccessToken.hash(of: secret)))
    }
}

extension FirstMinutesTests {
    /// The config's warnings come once, not with every `log`; `check` shows them always, and a
    /// changed warning comes again.
    @Test func configWarningsComeOnceNotWithEveryCommand() async throws {
        var cli = CLI(config: exampleConfig(replacing: "horizon = \"leading\"", with: "horizon = \"lagging\""))
        cli.environment["USER"] = "alice"
        let first = try await cli.run("log", "progress", "one")
        #expect(first.status == 0 && first.stderr.contains("every core KPI"), "\(first.stderr)")
        let second = try await cli.run("log", "progress", "two")
        #expect(second.status == 0 && !second.stderr.contains("warning"), "\(second.stderr)")
        #expect(try await cli.run("check").stdout.contains("every core KPI"))
        write(exampleConfig(replacing: "horizon = \"leading\"", with: "horizon = \"lagging\"") + "\n# edited\n", to: cli.directory + "/narrate.toml")
        #expect(!(try await cli.run("log", "progress", "three").stderr.contains("warning")), "the same warnings after an edit")
    }
}

extension FirstMinutesTests {
    /// `init --state-dir X` writes X into the config, so the next command finds that store; a
    /// command that only reads never makes a store, and says where it looked.
    @Test func theStoreIsWhereInitPutIt() async throws {
        let cli = CLI(config: nil)
        let chosen = cli.directory + "/team-store"
        #expect(try await cli.run("init", "--state-dir", chosen).status == 0)
        #expect(try String(contentsOfFile: cli.directory + "/narrate.toml", encoding: .utf8).contains("state_dir = \"\(chosen)\""))
        #expect(try await cli.run("log", "progress", "First entry", "--as", "alice").stdout == "P-1\n")
        #expect(try await cli.run("log", "progress", "Second entry", "--as", "alice").stdout == "P-2\n", "the same store, not a new one")
        #expect(FileManager.default.fileExists(atPath: chosen + "/narrate.sqlite"))

        let typo = try await cli.run("history", "--state-dir", cli.directory + "/team-stroe")
        #expect(typo.status == 1 && typo.stderr.contains("no store in \(cli.directory)/team-stroe"), "\(typo.stderr)")
        #expect(!FileManager.default.fileExists(atPath: cli.directory + "/team-stroe"), "a read makes no store")

        let empty = try await cli.run("history", "--person", "bob")
        #expect(empty.stdout.contains("no entries") && empty.stdout.contains("(looked in \(chosen)/narrate.sqlite)"), "\(empty.stdout)")
    }
}

extension FirstMinutesTests {
    /// `make demo` installs what the build needs, not Chromium or the test tools (#25).
    @Test func theDemoInstallsOnlyWhatTheBuildNeeds() async throws {
        let script = CheckInBrowserTests.root.appendingPathComponent("scripts/setup.sh").path
        let build = try await ChildProcess.run("/bin/bash", [script, "build", "--list"]).stdout.split(separator: " ").map { $0.trimmingCharacters(in: .whitespacesAndNewlines) }
        let test = try await ChildProcess.run("/bin/bash", [script, "test", "--list"]).stdout.split(separator: " ").map { $0.trimmingCharacters(in: .whitespacesAndNewlines) }
        #expect(build.contains("libcmark-gfm-dev") && !build.contains("chromium") && !build.contains("python3-pip"), "\(build)")
        #expect(test.contains("chromium") && Set(build).isSubset(of: Set(test)))
        let makefile = try String(contentsOf: CheckInBrowserTests.root.appendingPathComponent("Makefile"), encoding: .utf8)
        #expect(makefile.contains("build:\n\t@scripts/setup.sh build\n"), "make demo's build step sets up for the build only")
    }
}

/// A reader that goes away early (`narrate history | head`) ends narrate as it ends any Unix
/// tool: by SIGPIPE, quietly. Foundation's `FileHandle.write` trapped on the broken pipe and
/// printed a crash report with a backtrace.
@Suite struct BrokenPipeTests {
    @Test func aClosedPipeEndsTheCommandQuietly() async throws {
        let cli = CLI()
        // SIGPIPE ignored, as narrate's own networking (SwiftNIO) and many service managers leave it.
        let command = "trap '' PIPE; '\(CLI.executable)' demo --config '\(cli.directory)/narrate.toml' --state-dir '\(cli.directory)/state' | true; echo \"status ${PIPESTATUS[0]}\""
        let result = try await ChildProcess.run("/bin/bash", ["-c", command], environment: cli.environment, directory: cli.directory)
        #expect(result.stdout.contains("status 141"), "\(result.stdout)")
        #expect(!result.stderr.contains("crashed") && !result.stderr.contains("Fatal error"), "\(result.stderr)")
    }
}

/// Shell completions come from the command definitions (swift-argument-parser), so a new
/// command or option completes without anyone writing it twice; `make install` installs them.
@Suite struct CompletionTests {
    /// Bash completes a command's name and its options, through the script it would install.
    @Test(arguments: [("narrate mig", ["migrate"]), ("narrate store copy --f", ["--from"]), ("narrate token cr", ["create"])])
    func bashCompletesCommandsAndOptions(_ line: String, _ expected: [String]) async throws {
        let words = line.split(separator: " ").map(String.init)
        let script = """
            source <('\(CLI.executable)' --generate-completion-script bash)
            COMP_WORDS=(\(words.map { "'\($0)'" }.joined(separator: " "))); COMP_CWORD=\(words.count - 1)
            COMP_LINE='\(line)'; COMP_POINT=${#COMP_LINE}
            _narrate narrate '\(words.last!)' '\(words[words.count - 2])'
            printf '%s\\n' "${COMPREPLY[@]}"
            """
        let result = try await ChildProcess.run("/bin/bash", ["-c", script])
        #expect(result.stdout.split(separator: "\n").map(String.init) == expected, "\(result.stdout) \(result.stderr)")
    }

    @Test func zshAndFishScriptsNameEveryCommand() async throws {
        let zsh = try await ChildProcess.run(CLI.executable, ["--generate-completion-script", "zsh"]).stdout
        let fish = try await ChildProcess.run(CLI.executable, ["--generate-completion-script", "fish"]).stdout
        #expect(zsh.hasPrefix("#compdef narrate"))
        for command in ["log", "resolve", "history", "now", "migrate", "store", "token", "drafts"] {
            #expect(zsh.contains("'\(command):"), "zsh: \(command)")
            #expect(fish.contains("-a '\(command)'") || fish.contains("-a \(command) ") || fish.contains("'\(command)'"), "fish: \(command)")
        }
    }
}
