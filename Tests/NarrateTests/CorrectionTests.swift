import Foundation
import Testing
@testable import NarrateModel
@testable import NarrateTOML
@testable import NarrateConfig
@testable import NarrateReport
@testable import NarrateTargets
@testable import NarratePlatform
@testable import NarrateStore

/// People fix their own entries; times are typed the way people say them; nothing is doubled.
@Suite struct CorrectionTests {
    /// The example config with erin as an admin; commands run as the Unix user `user`.
    func cli() -> CLI {
        CLI(config: exampleConfig(replacing: "[narrate]\n", with: "[narrate]\nadmins = [\"erin\"]\n")
            .replacingOccurrences(of: "name = \"Erin Wu\"", with: "name = \"Erin Wu\"\nunix_user = \"erin\""))
    }

    func run(_ cli: CLI, as user: String, _ arguments: String...) async throws -> CLI.Result {
        try await cli.run(arguments, environment: ["USER": user])
    }

    @Test func authorsEditDeleteAndUndoTheirOwnEntries() async throws {
        let cli = cli()
        await #expect(try run(cli, as: "alice", "log", "progress", "Shiped the refund macro").stdout == "P-1\n")
        let edit = try await run(cli, as: "alice", "edit", "P-1", "Shipped the refund macro")
        #expect(edit.status == 0 && edit.stdout == "P-1 edited (narrate undo takes it back)\n")
        #expect(try await cli.run("history").stdout.contains("Shipped the refund macro"))
        await #expect(try run(cli, as: "alice", "delete", "P-1").status == 0)
        #expect(!(try await cli.run("history").stdout.contains("refund macro")), "a deleted entry is gone from history")
        #expect(!(try await cli.run("preview").stdout.contains("refund macro")), "and from the report")
        await #expect(try run(cli, as: "alice", "undo").stdout == "P-1 is back\n")
        #expect(try await cli.run("history").stdout.contains("Shipped the refund macro"))
        await #expect(try run(cli, as: "alice", "undo").stdout == "P-1 has its earlier text again\n")
        #expect(try await cli.run("history").stdout.contains("Shiped the refund macro"))
        let nothing = try await run(cli, as: "alice", "undo")
        #expect(nothing.status == 1 && nothing.stderr.contains("nothing to undo"))
    }

    @Test func othersNeedToBeAnAdmin() async throws {
        let cli = cli()
        await #expect(try run(cli, as: "alice", "log", "progress", "Mine").status == 0)
        let bob = try await run(cli, as: "bob", "edit", "P-1", "Bob's now")
        #expect(bob.status == 1 && bob.stderr.contains("P-1 was written by alice; only they (or an admin, with --as) can change it"))
        let forged = try await run(cli, as: "bob", "delete", "P-1", "--as", "alice")
        #expect(forged.status == 1 && forged.stderr.contains("--as alice needs an admin ([narrate] admins); bob is not one"))
        await #expect(try run(cli, as: "erin", "edit", "P-1", "Fixed by the admin", "--as", "alice").status == 0)
        #expect(try await cli.run("history").stdout.contains("Fixed by the admin"))
        await #expect(try run(cli, as: "bob", "delete", "P-1").status == 1)
    }

    @Test func timesInTheFutureAreRefused() async throws {
        let cli = cli()
        let future = try await run(cli, as: "alice", "log", "progress", "From tomorrow", "--at", "2199-01-01")
        #expect(future.status == 1 && future.stderr.contains("is in the future; give a time that has passed"), "\(future.stderr)")
        await #expect(try run(cli, as: "alice", "log", "next", "Ship it", "--at=-2d").status == 0)
        let done = try await run(cli, as: "alice", "done", "N-1", "--at", "yesterday")
        #expect(done.status == 0, "\(done.stderr)")
        let history = try await cli.run("history", "--json").stdout
        let entry = try #require((try JSONSerialization.jsonObject(with: Data(history.utf8)) as? [String: Any])?["entries"] as? [[String: Any]])
        #expect((entry.first?["closed_at"] as? String)?.hasSuffix("T12:00:00+08:00") == true, "yesterday noon, in Taipei")
        let again = try await run(cli, as: "alice", "done", "N-1")
        #expect(again.status == 1)
        #expect(again.stderr.wholeMatch(of: /narrate: N-1 is already done on \d{4}-\d{2}-\d{2} 12:00\n/) != nil, "in the author's zone: \(again.stderr)")
    }

    @Test func moodAndAwayDefaultToTheCallerAndAwayCanBeListedAndCancelled() async throws {
        let cli = cli()
        await #expect(try run(cli, as: "bob", "mood", "4", "--load", "3").stdout == "recorded mood for bob\n")
        // For someone else: an admin only, as for every command.
        await #expect(try run(cli, as: "bob", "mood", "chen", "2").status == 1)
        await #expect(try run(cli, as: "erin", "mood", "chen", "2").stdout == "recorded mood for chen\n")
        let away = try await run(cli, as: "bob", "away", "--from", "2026-12-01", "--to", "2026-12-03")
        #expect(away.status == 0 && away.stdout == "bob away 2026-12-01 to 2026-12-03 (id 1)\n", "\(away.stderr)")
        await #expect(try run(cli, as: "bob", "away", "dana", "--from", "2026-12-02", "--to", "2026-12-02").status == 1)
        await #expect(try run(cli, as: "erin", "away", "dana", "--from", "2026-12-02", "--to", "2026-12-02").status == 0)
        let list = try await cli.run("away", "list", "--since", "2026-11-30")
        #expect(list.stdout == "1  bob  2026-12-01 to 2026-12-03\n2  dana  2026-12-02 to 2026-12-02\n")
        await #expect(try run(cli, as: "chen", "away", "cancel", "1").status == 1, "not chen's")
        await #expect(try run(cli, as: "bob", "away", "cancel", "1").stdout == "cancelled: bob away 2026-12-01 to 2026-12-03\n")
        #expect(try await cli.run("away", "list", "--since", "2026-11-30").stdout == "2  dana  2026-12-02 to 2026-12-02\n")
    }

    @Test func importingTheSameReadingsTwiceReplacesThem() async throws {
        let cli = cli()
        write("kpi,value,at\nlead-time,30,2026-11-20T10:00+08:00\nlead-time,26,2026-11-21T10:00+08:00\n", to: cli.directory + "/m.csv")
        #expect(try await cli.run("metric", "import", "m.csv").stdout == "imported 2 readings\n")
        let again = try await cli.run("metric", "import", "m.csv")
        #expect(again.stdout == "imported 2 readings (2 readings of the same KPI and time replaced)\n")
        #expect(try SQLiteStore(directory: cli.stateDir).metricCount() == 2)
    }

    @Test func archivedReportsCanBeListedAndShownAgain() async throws {
        let cli = CLI()
        #expect(try await cli.run("demo").status == 0)
        #expect(try await cli.run("now", "--team", "platform").status == 0)
        let list = try await cli.run("reports")
        #expect(list.stdout.hasPrefix("1  platform  platform-weekly  "), "\(list.stdout)")
        #expect(list.stdout.contains("2/2 parts sent to archive, terminal"))
        // The period from its first to its last day, as the report names it (the end was shown as
        // the next Monday's midnight).
        #expect(list.stdout.contains(#/  \d{4}-\d{2}-\d{2} – \d{4}-\d{2}-\d{2}  2/2/#) && !list.stdout.contains("00:00"), "\(list.stdout)")
        let show = try await cli.run("reports", "show", "1")
        #expect(show.stdout.hasPrefix("# Platform · week of"))
        let json = try await cli.run("reports", "--json", "--team", "platform")
        let rows = try #require(try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [[String: Any]])
        #expect(rows.count == 1 && rows[0]["markdown"] == nil && rows[0]["sent"] as? Int == 2)
        #expect(try await cli.run("reports", "show", "9").stderr.contains("no report 9"))
    }
}
