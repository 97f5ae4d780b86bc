import Foundation
import Hummingbird
import HummingbirdTesting
import Testing
@testable import NarrateHTTP
@testable import NarrateApp
@testable import NarrateModel
@testable import NarrateTOML
@testable import NarrateConfig
@testable import NarrateReport
@testable import NarrateTargets
@testable import NarratePlatform
@testable import NarrateSources
@testable import NarrateStore

/// Sources: journal files in both languages, git repositories the test makes, a command with
/// good, bad and slow output, GitHub's and Prometheus's HTTP APIs on the loopback receiver; each
/// imported once; a failing one is a footer line, not a missing report.
@Suite struct SourcesTests {
    /// The example config with identities, sources and a Prometheus KPI; the clock in the
    /// example week (Friday 2026-11-27 18:00 Taipei).
    static func context(_ sources: String, receiver: Receiver? = nil, people: String = "") throws -> AppContext {
        var text = exampleConfig(
            replacing: "unix_user = \"alice\"", with: "unix_user = \"alice\"\ngit = [\"alice@example.org\"]\ngithub = \"alice-c\"")
        text = text.replacingOccurrences(of: "unix_user = \"bob\"", with: "unix_user = \"bob\"\ngit = [\"Bob Lin\"]\ngithub = \"bobl\"")
        text += "\n" + sources
        let (context, _) = try exampleContext(
            config: text, environment: ["GITHUB_TOKEN": "ghp-test-token"], clock: FixedClock(try time("2026-11-27 18:00", "Asia/Taipei")))
        return context
    }

    static var week: Period { Period.containing(try! time("2026-11-27 18:00", "Asia/Taipei"), kind: .week, in: Config.zone("Asia/Taipei")) }

    @Test func journalFilesInEnglishAndChineseBecomeEntries() async throws {
        let directory = temporaryDirectory("journal")
        write("""
            # Monday

            ## Progress
            - Split the deploy pipeline
            - Wrote the *runbook*

            ## Blockers
            - Waiting on legal (stage: middle)

            ## Next
            - Roll out to billing

            ## Gossip
            - not a part of the narrative
            """, to: directory + "/alice/2026-11-23.md")
        write("""
            ## 目前進展
            - 完成退款巨集

            ## 卡關問題
            - 等待法務審核 階段：後段

            ## 學到了什麼
            - 先快取相依套件
            """, to: directory + "/bob/2026-11-24.md")
        write("## Progress\n- last week's\n", to: directory + "/alice/2026-11-16.md")
        try Data([0x23, 0x20, 0x50, 0x0a, 0x2d, 0x20, 0xff, 0xfe, 0x0a]).write(to: URL(fileURLWithPath: directory + "/bob/2026-11-25.md"))
        let context = try Self.context("[[source]]\nid = \"journal\"\nkind = \"journal\"\nmode = \"auto\"\npath = \"\(directory)\"\n")
        let outcomes = await context.sourceRuns.run(team: context.config.teams[0], period: Self.week)
        let found = outcomes.flatMap(\.found).map(\.entry)
        #expect(found.map { "\($0.person) \($0.kind.rawValue) \($0.text)" } == [
            "alice progress Split the deploy pipeline", "alice progress Wrote the runbook", "alice blocker Waiting on legal",
            "alice next Roll out to billing", "bob progress 完成退款巨集", "bob blocker 等待法務審核", "bob learned 先快取相依套件",
        ])
        #expect(found.filter { $0.kind == .blocker }.map(\.stage) == [.middle, .back])
        let problems = outcomes.flatMap(\.problems)
        #expect(problems.contains { $0.hasSuffix("alice/2026-11-23.md:13: heading \"Gossip\" is not a part of the narrative (Progress, Blockers, Next, Learned); its items are skipped") }, "\(problems)")
        #expect(problems.contains { $0.contains("bob/2026-11-25.md:2: not UTF-8 text") }, "\(problems)")

        // Imported once: a second run adds nothing, and the report has them with their origin.
        #expect(outcomes.first?.added == 7)
        #expect(await context.sourceRuns.run(team: context.config.teams[0], period: Self.week).first?.added == 0)
        let stored = try await context.store.entries(from: Self.week.start, to: Self.week.end)
        #expect(stored.count == 7 && stored.allSatisfy { $0.origin == "journal" })
    }

    /// A preview and a dry run show what the next slot would import, and import nothing: the
    /// slot's report then says the same.
    @Test func aPreviewIncludesWhatTheSourcesWouldBringWithoutImportingIt() async throws {
        let directory = temporaryDirectory("journal")
        write("## Progress\n- Split the deploy pipeline\n\n## Blockers\n- Waiting on legal (stage: middle)\n", to: directory + "/alice/2026-11-23.md")
        let context = try Self.context("[[source]]\nid = \"journal\"\nkind = \"journal\"\nmode = \"auto\"\npath = \"\(directory)\"\n")
        let preview = try #require(try await context.reports.preview(team: "platform").first?.markdown)
        #expect(preview.contains("- Split the deploy pipeline"), "\(preview)")
        #expect(preview.contains("- Waiting on legal (B-new, Alice Chen, open"), "not imported yet: no id: \(preview)")
        let dryRun = try await context.deliveries.dryRun(team: "platform")
        #expect(dryRun.contains { $0.body.contains("Split the deploy pipeline") })
        await #expect(try context.store.entryCount() == 0, "a preview imports nothing")
        // Once a slot imported it, the preview shows the same entry by its id, and only once.
        _ = await context.sourceRuns.run(team: context.config.teams[0], period: Self.week)
        let after = try #require(try await context.reports.preview(team: "platform").first?.markdown)
        #expect(after.contains("- Waiting on legal (B-2, Alice Chen, open") && after.components(separatedBy: "Split the deploy pipeline").count == 2, "\(after)")
    }

    @Test func gitCommitsOfThePeriodByKnownIdentitiesBecomeProgress() async throws {
        let repo = temporaryDirectory("repo")
        func git(_ arguments: String..., date: String = "2026-11-24T10:00:00+08:00", author: String = "Alice Chen <alice@example.org>") async throws {
            let parts = author.split(separator: "<")
            let result = try await ChildProcess.run("/usr/bin/git", ["-C", repo] + arguments, environment: [
                "GIT_AUTHOR_DATE": date, "GIT_COMMITTER_DATE": date, "GIT_AUTHOR_NAME": parts[0].trimmingCharacters(in: .whitespaces),
                "GIT_AUTHOR_EMAIL": String(parts[1].dropLast()), "GIT_COMMITTER_NAME": "ci", "GIT_COMMITTER_EMAIL": "ci@example.org",
                "HOME": repo, "PATH": "/usr/bin:/bin",
            ])
            try #require(result.status == 0, "git \(arguments): \(result.stderr)")
        }
        try await git("init", "-q", "-b", "main")
        try await git("commit", "-q", "--allow-empty", "-m", "Split the deploy pipeline")
        try await git("commit", "-q", "--allow-empty", "-m", "Old work", date: "2026-11-10T10:00:00+08:00")
        try await git("commit", "-q", "--allow-empty", "-m", "Cache the resolve step", date: "2026-11-25T09:00:00+08:00", author: "Bob Lin <bob@home.example>")
        try await git("commit", "-q", "--allow-empty", "-m", "Someone else's", author: "Zed <zed@example.org>")
        try await git("checkout", "-q", "-b", "topic")
        try await git("commit", "-q", "--allow-empty", "-m", "Topic work", date: "2026-11-25T11:00:00+08:00")
        try await git("checkout", "-q", "main")
        try await git("merge", "-q", "--no-ff", "-m", "Merge branch 'topic'", "topic", date: "2026-11-25T12:00:00+08:00")
        let context = try Self.context("[[source]]\nid = \"git\"\nkind = \"git\"\nrepos = [\"\(repo)\", \"\(repo)-missing*\"]\n")
        let outcomes = await context.sourceRuns.run(team: context.config.teams[0], period: Self.week)
        let found = outcomes.flatMap(\.found).map(\.entry).sorted { $0.at < $1.at }
        #expect(found.map { "\($0.person) \($0.text.prefix { $0 != "(" })" } == [
            "alice Split the deploy pipeline ", "bob Cache the resolve step ", "alice Topic work ",
        ], "merges folded, other people and other weeks left out")
        #expect(outcomes.flatMap(\.problems).isEmpty, "\(outcomes.flatMap(\.problems))")
        // mode defaults to draft: they wait for their people.
        await #expect(try context.store.drafts(person: "alice", state: .pending).count == 2)
        await #expect(try context.store.entries(from: Self.week.start, to: Self.week.end).isEmpty)
    }

    /// Whether a process runs (a zombie, dead and not yet reaped, does not).
    static func isRunning(_ pid: Int32) -> Bool {
        guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
            let state = stat.split(separator: ")").last?.split(separator: " ").first
        else { return false }
        return state != "Z" && state != "X"
    }

    @Test func aCommandsGoodLinesCountItsBadLinesAreNamedAndASlowOneIsStopped() async throws {
        let directory = temporaryDirectory("command")
        let script = directory + "/activity.sh"
        // The slow part is a child of the script, as a `sleep` in a real one would be: stopping
        // the script must stop it too, or its open pipe keeps the run waiting for the whole sleep.
        // The clock bound is loose (a busy test run once took 26 s to come back from a 1 s limit);
        // the child's own state is the sharp check.
        write("""
            #!/bin/sh
            echo '{"person":"alice","kind":"progress","text":"Shipped via the tool","at":"2026-11-24T10:00+08:00","url":"https://tool/1"}'
            echo 'not json'
            echo '{"person":"alice","kind":"rant","text":"x"}'
            echo '{"kpi":"lead-time","value":21.5,"at":"2026-11-26T10:00+08:00"}'
            echo "period $NARRATE_START" >&2
            sleep 120 &
            echo $! > \(directory)/sleep.pid
            wait
            """, to: script)
        chmod(script, 0o755)
        let context = try Self.context("[[source]]\nid = \"tool\"\nkind = \"command\"\nmode = \"auto\"\ncommand = [\"\(script)\"]\ntimeout = 1\n")
        let started = Date()
        let outcome = try #require(await context.sourceRuns.run(team: context.config.teams[0], period: Self.week).first)
        #expect(Date().timeIntervalSince(started) < 100, "stopped, not left to its 120 s sleep")
        let sleeper = Int32((try String(contentsOfFile: directory + "/sleep.pid", encoding: .utf8)).trimmingCharacters(in: .whitespacesAndNewlines))
        #expect(sleeper.map { !Self.isRunning($0) } == true, "the script's child was stopped with it")
        #expect(outcome.found.map(\.entry.text) == ["Shipped via the tool"])
        #expect(outcome.readings == 1)
        #expect(outcome.problems.contains("tool: line 2: not a JSON object"), "\(outcome.problems)")
        #expect(outcome.problems.contains { $0.hasPrefix("tool: line 3: \"kind\" is one of") })
        #expect(outcome.problems.contains { $0.contains("ran longer than 1 s and was stopped") })
        await #expect(try context.store.readings(kpis: ["lead-time"], from: Self.week.start, to: Self.week.end).map(\.value) == [21.5])
    }

    @Test func gitHubMergedPullsReviewsAndClosedIssuesWithPagesETagsAndRateLimits() async throws {
        let receiver = try await Receiver()
        func pull(_ number: Int, _ author: String, merged: String?, updated: String) -> [String: Any] {
            ["number": number, "title": "PR \(number)", "html_url": "https://github.com/acme/app/pull/\(number)", "user": ["login": author],
             "merged_at": merged as Any, "updated_at": updated]
        }
        let listings: [String: Any] = [
            "/repos/acme/app/pulls": [
                pull(12, "alice-c", merged: "2026-11-26T03:00:00Z", updated: "2026-11-26T03:00:00Z"),
                pull(11, "bobl", merged: "2026-11-24T03:00:00Z", updated: "2026-11-24T03:00:00Z"),
                pull(10, "stranger", merged: nil, updated: "2026-11-23T03:00:00Z"),
                pull(9, "alice-c", merged: "2026-11-10T03:00:00Z", updated: "2026-11-10T03:00:00Z"),
            ],
            "/repos/acme/app/pulls/12/reviews": [["id": 501, "user": ["login": "bobl"], "submitted_at": "2026-11-25T08:00:00Z"]],
            "/repos/acme/app/pulls/11/reviews": [["id": 502, "user": ["login": "bobl"], "submitted_at": "2026-11-24T02:00:00Z"]],
            "/repos/acme/app/pulls/10/reviews": [],
            "/repos/acme/app/issues": [
                ["number": 30, "title": "Flaky deploy", "html_url": "https://github.com/acme/app/issues/30", "closed_at": "2026-11-25T05:00:00Z",
                 "user": ["login": "stranger"], "assignees": [["login": "alice-c"]]],
                ["number": 12, "title": "PR 12", "pull_request": [:], "closed_at": "2026-11-26T03:00:00Z", "user": ["login": "alice-c"]],
            ],
        ]
        _ = try await liveTransport.send(NarrateModel.HTTPRequest(
            url: receiver.base + "/_github", headers: [("Content-Type", "application/json")],
            body: try JSONSerialization.data(withJSONObject: listings)))
        let source = "[[source]]\nid = \"gh\"\nkind = \"github\"\nmode = \"auto\"\nbase_url = \"\(receiver.base)/github\"\ntoken_env = \"GITHUB_TOKEN\"\nrepos = [\"acme/app\"]\n"
        let context = try Self.context(source, receiver: receiver)
        let outcome = try #require(await context.sourceRuns.run(team: context.config.teams[0], period: Self.week).first)
        #expect(outcome.problems.isEmpty, "\(outcome.problems)")
        #expect(Set(outcome.found.map { "\($0.entry.person) \($0.entry.kind.rawValue) \($0.entry.text)" }) == [
            "alice progress Merged acme/app#12: PR 12", "bob progress Merged acme/app#11: PR 11", "bob helped Reviewed acme/app#12: PR 12",
            "alice progress Closed acme/app#30: Flaky deploy",
        ], "the self-review of #11 is not help; #9 is older; #10 was not merged")
        let first = try await receiver.requests("/github")
        #expect(first.contains { $0.query.contains("page=2") }, "the second page was followed from the Link header")

        // Again: every page is asked with its ETag and answered 304 from the kept copy.
        let again = try #require(await context.sourceRuns.run(team: context.config.teams[0], period: Self.week).first)
        #expect(again.found.count == 4 && again.added == 0)
        let second = try await receiver.requests("/github").dropFirst(first.count)
        #expect(!second.isEmpty && second.allSatisfy { $0.headers["if-none-match"] != nil })

        // Rate limited: a footer line with the reset time; what came before is kept.
        try await receiver.plan("/github/repos/acme/app/issues", [[
            "status": 403, "body": ["message": "API rate limit exceeded"],
            "headers": ["X-RateLimit-Remaining": "0", "X-RateLimit-Reset": "1795000000"],
        ]])
        let limited = try #require(await context.sourceRuns.run(team: context.config.teams[0], period: Self.week).first)
        #expect(limited.problems.count == 1)
        #expect(limited.problems.first?.hasPrefix("gh: rate limited until 2026-11-18") == true || limited.problems.first?.contains("rate limited until") == true, "\(limited.problems)")
        #expect(limited.found.count == 3, "the pull requests came before the limit")
    }

    @Test func prometheusQueriesGiveTheReadingsAndErrorsAreNamed() async throws {
        let receiver = try await Receiver()
        var context = try Self.context("", receiver: receiver)
        var config = context.config
        let index = try #require(config.kpis.firstIndex { $0.id == "deploy-frequency" })
        config.kpis[index].prometheus = receiver.base + "/prometheus"
        config.kpis[index].query = "deploys_per_week"
        let lead = try #require(config.kpis.firstIndex { $0.id == "lead-time" })
        config.kpis[lead].prometheus = receiver.base + "/prometheus"
        config.kpis[lead].query = "many_series"
        context = context.replacing(config: config, renderer: context.renderer)
        let outcome = try #require(await context.sourceRuns.run(team: context.config.teams[0], period: Self.week).first)
        #expect(outcome.readings == 2, "this period's end and the previous one's")
        #expect(outcome.problems == ["prometheus: lead-time: the query returns 2 series; aggregate it to one (sum(…), avg(…))"])
        let readings = try await context.store.readings(kpis: ["deploy-frequency"], from: Self.week.previous.start, to: Self.week.end)
        #expect(readings.map(\.value) == [12, 12])
        config.kpis[lead].query = "rate(x"
        context = context.replacing(config: config, renderer: context.renderer)
        let bad = try #require(await context.sourceRuns.run(team: context.config.teams[0], period: Self.week).first)
        #expect(bad.problems.contains("prometheus: lead-time: HTTP 400: bad_data: 1:5: parse error: unclosed left parenthesis"), "\(bad.problems)")
    }

    @Test func aFailingSourceIsAFooterLineAndTheReportIsStillMade() async throws {
        let context = try Self.context("[[source]]\nid = \"tool\"\nkind = \"command\"\ncommand = [\"/bin/false\"]\n")
        let plan = await context.pipeline.withSources(try context.pipeline.plan(team: "platform")[0])
        let markdown = try await context.pipeline.run(plan)[0].rendered.markdown
        #expect(markdown.contains("**Incomplete:**"))
        #expect(markdown.contains("- tool (command): it failed or ran out of time"), "\(markdown)")
        #expect(!markdown.contains("/bin/false"), "the team's chat gets no server internals")
        var chinese = plan
        chinese.locale = "zh-Hant"
        chinese = await context.pipeline.withSources(chinese)
        await #expect(try context.pipeline.run(chinese)[0].rendered.markdown.contains("- tool（指令）：執行失敗或逾時"))
        #expect(markdown.hasPrefix("# Platform"))
        // /healthz tells the operator too, without calling the service unhealthy.
        let server = CheckInServer(current: { context }, rate: 100)
        try await Application(router: server.router()).test(.router) { client in
            let health = try await client.execute(uri: "/healthz", method: .get)
            #expect(health.status == .ok)
            let sources = health.body.json["sources"] as? [[String: Any]]
            #expect(sources?.first?["id"] as? String == "tool")
            #expect(sources?.first?["ok"] as? Bool == false)
            #expect((sources?.first?["problems"] as? [String])?.first == "tool: /bin/false exited with status 1")
        }
    }

    @Test func draftsAreConfirmedOrDiscardedOnceAndNeverComeBack() async throws {
        let directory = temporaryDirectory("journal")
        write("## Progress\n- Drafted item\n- Unwanted item\n", to: directory + "/alice/2026-11-24.md")
        let context = try Self.context("[[source]]\nid = \"journal\"\nkind = \"journal\"\npath = \"\(directory)\"\n")
        _ = await context.sourceRuns.run(team: context.config.teams[0], period: Self.week)
        let alice = Caller(person: context.config.person("alice")!, isAdmin: false)
        let drafts = try await context.checkIns.drafts(of: alice.person)
        #expect(drafts.map(\.entry.text) == ["Drafted item", "Unwanted item"])
        let entry = try await context.checkIns.confirmDraft(drafts[0].displayID, text: "Drafted item, in my words", by: alice)
        #expect(entry.origin == "journal" && entry.text == "Drafted item, in my words")
        _ = try await context.checkIns.discardDraft(drafts[1].displayID, by: alice)
        await #expect(throws: NarrateError.self) { try await context.checkIns.confirmDraft(drafts[1].displayID, by: alice) }
        let bob = Caller(person: context.config.person("bob")!, isAdmin: false)
        await #expect(throws: NarrateError.self) { try await context.checkIns.discardDraft(drafts[0].displayID, by: bob) }
        // Running the source again brings back neither.
        _ = await context.sourceRuns.run(team: context.config.teams[0], period: Self.week)
        await #expect(try context.checkIns.drafts(of: alice.person).isEmpty)
        let report = try await context.pipeline.run(try context.pipeline.plan(team: "platform")[0])[0].rendered.markdown
        #expect(report.contains("Drafted item, in my words") && !report.contains("Unwanted item"))
    }
}

/// `narrate sources check` and `narrate drafts` as a person uses them.
@Suite struct SourcesCLITests {
    @Test func sourcesCheckShowsWhatWouldComeInAndDraftsAreConfirmedFromTheShell() async throws {
        var cli = CLI(config: nil)
        let journal = cli.directory + "/journal"
        let today = LocalDate(Date(), in: Config.zone("Asia/Taipei"))
        write("## Progress\n- Wrote the migration plan\n", to: journal + "/alice/\(today).md")
        write(exampleConfig() + "\n[[source]]\nid = \"notes\"\nkind = \"journal\"\npath = \"journal\"\n", to: cli.directory + "/narrate.toml")
        cli.environment["USER"] = "alice"
        let check = try await cli.run("sources", "check")
        #expect(check.status == 0, "\(check.stderr)")
        #expect(check.stdout.contains("platform  notes (draft): 1 entry, 0 readings"), "\(check.stdout)")
        #expect(check.stdout.contains("alice  progress  Wrote the migration plan"))
        #expect(try await cli.run("drafts").stdout.contains("no drafts"), "check imports nothing")

        // A report run imports it as a draft; alice confirms it in her own words.
        #expect(try await cli.now().status == 0)
        let drafts = try await cli.run("drafts").stdout
        let id = try #require(drafts.split(separator: " ").first.map(String.init))
        #expect(id.hasPrefix("S-") && drafts.contains("(notes)"), "\(drafts)")
        let confirmed = try await cli.run("drafts", "confirm", id, "--text", "Wrote the migration plan for billing")
        #expect(confirmed.status == 0 && confirmed.stdout.hasPrefix("P-"), "\(confirmed.stderr)")
        #expect(try await cli.run("history").stdout.contains("Wrote the migration plan for billing"))
        #expect(try await cli.run("drafts", "discard", id).status == 1, "already confirmed")

        write(exampleConfig() + "\n[[source]]\nid = \"tool\"\nkind = \"command\"\ncommand = [\"/bin/false\"]\n", to: cli.directory + "/narrate.toml")
        let failing = try await cli.run("sources", "check")
        #expect(failing.status == 1)
        #expect(failing.stderr.contains("problem: tool: /bin/false exited with status 1"))
    }
}
