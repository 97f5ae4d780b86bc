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

@Suite struct KPILintTests {
    @Test func coreKPIWithoutGuardrailIsAnError() {
        let text = exampleConfig(replacing: "guardrails = [\"incident-minutes\"]\n", with: "")
        let found = diagnostics(text)
        #expect(found.count == 1)
        #expect(found[0].severity == .error && found[0].keyPath == "kpi[1]")
        #expect(found[0].message.hasPrefix(#"core KPI "deploy-frequency" has no guardrail"#))
        #expect(found[0].line == lineNumber(of: #"id = "deploy-frequency""#, in: text)! - 1)
    }

    @Test func missingSMARTFieldsAreErrorsOneEach() {
        let text = exampleConfig(replacing: "unit = \"hours\"\n", with: "")
            .replacingOccurrences(of: "direction = \"down\"                # which way is better\n", with: "")
            .replacingOccurrences(of: "limit = 120\nreview = \"weekly\"\n", with: "")
        let messages = diagnostics(text).filter { $0.severity == .error }.map(\.message)
        #expect(messages == [
            #"KPI "lead-time" does not declare unit"#, #"KPI "lead-time" does not declare direction (up|down)"#,
            #"KPI "incident-minutes" does not declare review (daily|weekly|monthly|quarterly)"#,
            #"KPI "incident-minutes" does not declare limit"#,
        ])
    }

    @Test func aWrongValueIsNotAlsoReportedAsMissing() {
        let text = exampleConfig(replacing: "kind = \"average\"", with: "kind = \"avg\"")
        let found = diagnostics(text)
        #expect(found.map(\.message) == [#""avg" is not one of count, ratio, average, change (did you mean "average"?)"#])
    }

    @Test func moreThanFiveCoreKPIsIsAWarning() {
        var text = ExampleConfig.text
        for index in 1...4 {
            text += """

                [[kpi]]
                id = "extra-\(index)"
                team = "platform"
                kind = "count"
                unit = "x"
                direction = "up"
                target = 1
                horizon = "leading"
                review = "monthly"
                guardrails = ["incident-minutes"]
                objective = "x"
                by = "2027-01-01"
                """
        }
        let found = diagnostics(text)
        #expect(found.count == 1)
        #expect(found[0].severity == .warning && found[0].keyPath == "kpi[7]")
        #expect(found[0].message == #"team "platform" has 6 core KPIs; keep 3–5 so each one gets attention"#)
    }

    /// SMART's relevant and time-bound parts, a ratio's base, the leading → lagging link and the
    /// warning tier, each at its key.
    @Test func objectiveDeadlineRatioBaseDrivesAndWarnAt() {
        let bare = diagnostics(exampleConfig(replacing: "objective = \"Ship in small, safe steps\"\nby = \"2027-03-31\"\n", with: ""))
        #expect(bare.contains { $0.severity == .warning && $0.message.hasPrefix("core KPI \"deploy-frequency\" has no objective") })
        #expect(bare.contains { $0.severity == .warning && $0.message.hasPrefix("core KPI \"deploy-frequency\" has no deadline") })
        let ratio = diagnostics(exampleConfig(replacing: "kind = \"average\"                  # count | ratio | average | change", with: "kind = \"ratio\""))
        #expect(ratio.contains { $0.message.hasPrefix("ratio KPI \"lead-time\" has no count guardrail") })
        let drives = diagnostics(exampleConfig(replacing: "drives = [\"deploy-frequency\"]", with: "drives = [\"change-failure-rate\", \"nope\"]"))
        #expect(drives.contains { $0.keyPath == "kpi[0].drives[0]" && $0.message.contains("is not a lagging KPI") })
        #expect(drives.contains { $0.keyPath == "kpi[0].drives[1]" && $0.severity == .error })
        let warn = diagnostics(exampleConfig(replacing: "warn_at = 12", with: "warn_at = 20"))
        #expect(warn.contains { $0.keyPath == "kpi[2].warn_at" && $0.severity == .error && $0.message.hasPrefix("warn_at 20 must come before the limit 15") })
        #expect(diagnostics(exampleConfig(replacing: "by = \"2027-03-31\"                 # when the target is due", with: "by = \"soon\"")).contains { $0.keyPath == "kpi[0].by" })
    }

    @Test func allLaggingKPIsIsAWarningOnTheTeam() {
        let text = exampleConfig(replacing: "horizon = \"leading\"", with: "horizon = \"lagging\"")
        let found = diagnostics(text)
        #expect(found.count == 1)
        #expect(found[0].severity == .warning && found[0].keyPath == "team[0]")
        #expect(found[0].message.contains("is lagging; add a leading KPI"))
    }

    @Test func selfGuardrailAndUnknownGuardrail() {
        let text = exampleConfig(replacing: #"guardrails = ["change-failure-rate"]"#, with: #"guardrails = ["lead-time", "nope"]"#)
        let messages = diagnostics(text).map(\.message)
        #expect(messages.contains("a KPI cannot be its own guardrail"))
        #expect(messages.contains { $0.hasPrefix(#""nope" is not a KPI"#) })
    }
}

/// `narrate check` holds targets against the store's last year of readings, when there is a store.
@Suite struct TargetHistoryTests {
    @Test func aTargetFarFromEveryReadingIsAWarningAtItsLine() async throws {
        let cli = CLI()
        let fresh = try await cli.run("check")
        #expect(fresh.status == 0 && !fresh.stdout.contains("far outside"))
        #expect(!FileManager.default.fileExists(atPath: cli.stateDir), "check does not make a store")
        for (value, at) in [("300", "-30d"), ("310", "-20d"), ("320", "-10d")] {
            #expect(try await cli.run("metric", "record", "lead-time", value, "--at=\(at)").status == 0)
        }
        let checked = try await cli.run("check")
        #expect(checked.status == 0, "a warning, not an error")
        let line = try #require(checked.stdout.split(separator: "\n").first { $0.contains("far outside") })
        let expectedLine = ExampleConfig.text.split(separator: "\n", omittingEmptySubsequences: false).firstIndex { $0.hasPrefix("target = 24") }! + 1
        #expect(line.hasPrefix("\(cli.directory)/narrate.toml:\(expectedLine): warning: kpi[0].target: target 24 is far outside its values per week over the last 12 months (300–320)"), "\(line)")
        // The same with the state dir given by flag.
        let flagged = try await cli.run("check", "--state-dir", cli.stateDir)
        #expect(flagged.stdout.contains(String(line)), "\(flagged.stdout)")
    }

    /// A count adds its readings up per period, as the report does: three deploys a few times a
    /// week is 9 a week, close to a target of 10, not "far outside" readings of 3.
    @Test func aCountTargetIsHeldAgainstItsSumsPerPeriod() async throws {
        let cli = CLI()
        let (config, _) = try ConfigFile.load(path: cli.directory + "/narrate.toml")
        let zone = config.zone(ofTeam: "platform")
        var week = Period.containing(Date(), kind: .week, in: zone)
        for _ in 0..<3 {
            week = week.previous
            for hour in [10, 11, 12] {
                let at = TimeText.iso(week.start.addingTimeInterval(Double(24 + hour) * 3_600), in: zone)
                #expect(try await cli.run("metric", "record", "deploy-frequency", "3", "--at=\(at)").status == 0)
            }
        }
        let checked = try await cli.run("check")
        #expect(checked.status == 0 && !checked.stdout.contains("far outside"), "\(checked.stdout)")
        // A target far from the weekly sums still warns, and says what it was held against.
        write(try String(contentsOfFile: cli.directory + "/narrate.toml", encoding: .utf8)
            .replacingOccurrences(of: "target = 10", with: "target = 40"), to: cli.directory + "/narrate.toml")
        let far = try await cli.run("check")
        #expect(far.stdout.contains("target 40 is far outside its values per week over the last 12 months (9–9)"), "\(far.stdout)")
    }
}
