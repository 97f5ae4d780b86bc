import Foundation
import Testing
@testable import NarrateStore

/// One rule for who may act for whom, from the shell as over the socket and the API: a person
/// closes their own entries (their team's as its manager, anyone's as an admin) and acts for
/// someone else only as an admin; a shell that is no person of the config owns the store file.
@Suite struct CLIPolicyTests {
    static let config = exampleConfig(replacing: "id = \"erin\"", with: "id = \"erin\"\nunix_user = \"erin\"")
        .replacingOccurrences(of: "[narrate]\n", with: "[narrate]\nadmins = [\"bob\"]\n")

    @Test func closingSomeoneElsesEntryFromTheShellFollowsTheServicesRule() async throws {
        let cli = CLI(config: Self.config)
        func run(_ user: String?, _ arguments: String...) async throws -> CLI.Result {
            try await cli.run(arguments, environment: user.map { ["USER": $0] } ?? [:])
        }
        await #expect(try run("chen", "log", "blocker", "Waiting on legal").stdout.contains("B-1"))
        await #expect(try run("chen", "log", "next", "Ask legal again").stdout.contains("N-2"))
        await #expect(try run("chen", "log", "next", "Draft the contract").stdout.contains("N-3"))
        let refused = try await run("alice", "resolve", "B-1", "--note", "not mine")
        #expect(refused.status == 1 && refused.stderr.contains("B-1 is chen's; only they, their manager or an admin can close it"), "\(refused.stderr)")
        await #expect(try run("erin", "resolve", "B-1").status == 0, "the team's manager")
        await #expect(try run("bob", "done", "N-2").status == 0, "an admin")
        await #expect(try run("chen", "drop", "N-3").status == 0, "the author")
        let store = try SQLiteStore(directory: cli.stateDir)
        #expect(try store.entry(1)?.state == .resolved && store.entry(2)?.state == .done && store.entry(3)?.state == .dropped)
    }

    @Test func actingForSomeoneElseNeedsAnAdminInEveryCommand() async throws {
        let cli = CLI(config: Self.config)
        func run(_ user: String?, _ arguments: String...) async throws -> CLI.Result {
            try await cli.run(arguments, environment: user.map { ["USER": $0] } ?? [:])
        }
        for arguments in [["log", "progress", "as bob", "--as", "bob"], ["mood", "2", "--as", "bob"], ["mood", "bob", "2"],
                          ["away", "bob", "--from", "2026-12-21", "--to", "2026-12-24"],
                          ["away", "--as", "bob", "--from", "2026-12-21", "--to", "2026-12-24"]] {
            let refused = try await cli.run(arguments, environment: ["USER": "alice"])
            #expect(refused.status == 1 && refused.stderr.contains("--as bob needs an admin"), "\(arguments): \(refused.stderr)")
        }
        await #expect(try run("bob", "log", "progress", "for alice", "--as", "alice").status == 0, "an admin")
        await #expect(try run("bob", "mood", "4", "--as", "alice").status == 0)
        await #expect(try run("bob", "away", "--as", "alice", "--from", "2026-12-21", "--to", "2026-12-24").status == 0)
        await #expect(try run("alice", "mood", "3", "--as", "alice").status == 0, "oneself")
        await #expect(try run(nil, "log", "progress", "from the store's owner", "--as", "chen").status == 0, "a shell that is no person")
        let both = try await run("bob", "mood", "alice", "4", "--as", "chen")
        #expect(both.status == 2, "a person by argument and another by --as is a usage error")
        let store = try SQLiteStore(directory: cli.stateDir)
        #expect(try store.entryCount() == 2)
    }
}
