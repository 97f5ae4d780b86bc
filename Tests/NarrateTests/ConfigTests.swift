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

@Suite struct ConfigTests {
    @Test func exampleConfigHasNoProblems() {
        #expect(diagnostics(ExampleConfig.text) == [])
    }

    @Test func exampleFileInRepositoryMatchesEmbeddedExample() throws {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent()
        let file = try String(contentsOf: root.appendingPathComponent("config/narrate.example.toml"), encoding: .utf8)
        #expect(file == ExampleConfig.text + "\n")
    }

    @Test func unknownKeyPointsAtItsLineWithASuggestion() {
        let text = """
            [[person]]
            id = "alice"
            nmae = "Alice"
            """
        let found = diagnostics(text).filter { !$0.message.hasPrefix("the config defines no team") }
        #expect(found.map(\.description) == [#"t.toml:3: error: person[0].nmae: unknown key "nmae" (did you mean "name"?)"#])
    }

    @Test func wrongTypeAndMissingRequiredKey() {
        let text = exampleConfig(replacing: "target = 24\n", with: "target = \"24\"\n")
            .replacingOccurrences(of: "cron = \"0 17 * * FRI\"", with: "")
        let found = diagnostics(text)
        let wrong = found.first { $0.keyPath == "kpi[0].target" }
        #expect(wrong?.message == "must be a number, found a string")
        #expect(wrong?.line == lineNumber(of: "target = \"24\"", in: text))
        let missing = found.first { $0.message == "missing required key \"cron\"" }
        #expect(missing?.keyPath == "schedule[0]")
        #expect(missing?.line == lineNumber(of: "[[schedule]]", in: text))
    }

    @Test func danglingReferencesAreErrorsOnTheirLines() {
        let text = exampleConfig(replacing: #"members = ["alice", "bob", "chen", "dana"]"#, with: #"members = ["alice", "bobb"]"#)
            .replacingOccurrences(of: #"guardrails = ["change-failure-rate"]"#, with: #"guardrails = ["change-fail-rate"]"#)
            .replacingOccurrences(of: #"targets = ["terminal", "archive"]"#, with: #"targets = ["terminal", "chat"]"#)
        let found = diagnostics(text).filter { $0.severity == .error }
        #expect(found.map(\.keyPath) == ["team[0].members[1]", "team[0].targets[1]", "kpi[0].guardrails[0]"])
        #expect(found[0].message.contains(#""bobb" is not a person (did you mean "bob"?"#))
        #expect(found[0].line == lineNumber(of: #"members = ["alice", "bobb"]"#, in: text))
        #expect(found[1].message.contains("is not a target"))
        #expect(found[2].line == lineNumber(of: #"guardrails = ["change-fail-rate"]"#, in: text))
    }

    @Test func invalidTimeZonesAndCron() {
        let text = exampleConfig(replacing: #"timezone = "Asia/Taipei"          #"#, with: #"timezone = "Asia/Taipeii"          #"#)
            .replacingOccurrences(of: "0 17 * * FRI", with: "0 25 * * FRI")
        let found = diagnostics(text)
        #expect(found.count == 2)
        #expect(found[0].line == 5 && found[0].keyPath == "narrate.timezone")
        #expect(found[1].keyPath == "schedule[0].cron")
        #expect(found[1].message == #"cron: hour: 25 in "25" is out of range 0-23"#)
    }

    @Test func plainSecretIsAWarningAndEnvFormIsClean() {
        let plain = ExampleConfig.text + """

            [[target]]
            id = "chat"
            kind = "slack"
            url = "https://hooks.example.org/services/T0/B0/secret"
            """
        let found = diagnostics(plain)
        #expect(found.count == 1)
        #expect(found[0].severity == .warning && found[0].keyPath == "target[2].url")
        #expect(!found[0].description.contains("secret\""), "a diagnostic never repeats the secret value")
        #expect(!found[0].description.contains("hooks.example.org"))
        let fromEnvironment = ExampleConfig.text + "\n[[target]]\nid = \"chat\"\nkind = \"slack\"\nurl_env = \"CHAT_URL\"\n"
        #expect(diagnostics(fromEnvironment) == [])
    }

    @Test func targetKindDecidesRequiredAndUnknownKeys() {
        let text = ExampleConfig.text + """

            [[target]]
            id = "tg"
            kind = "telegram"
            token_env = "TG"
            room = "x"
            """
        let found = diagnostics(text).map(\.description)
        #expect(found.contains { $0.hasSuffix(#"target[2]: missing required key "chat_id""#) })
        #expect(found.contains { $0.contains(#"target[2].room: unknown key "room""#) })
    }

    @Test func duplicateIdsAndSyntaxErrors() {
        let duplicate = ExampleConfig.text + "\n[[person]]\nid = \"bob\"\n"
        let found = diagnostics(duplicate)
        #expect(found.map(\.message) == [#"duplicate person id "bob""#])
        #expect(found[0].line == duplicate.split(separator: "\n", omittingEmptySubsequences: false).count - 1)

        let broken = "[narrate]\ntimezone = \"UTC\"\nlocale = \n"
        let syntax = diagnostics(broken)
        #expect(syntax.count == 1 && syntax[0].line == 3 && syntax[0].message.hasPrefix("TOML syntax:"))
    }

    @Test func everyProblemIsReportedInOneRun() {
        let text = """
            [narrate]
            timezone = "Mars/Olympus"
            [[person]]
            id = "Alice"
            [[team]]
            id = "t"
            members = ["nobody"]
            colour = "red"
            """
        let found = diagnostics(text)
        #expect(found.filter { $0.severity == .error }.count == 4)
        #expect(found.map(\.line) == found.map(\.line).sorted())
    }

    @Test func sourceMapFollowsMultilineArraysAndStrings() {
        let text = """
            [[team]]
            id = "a"
            members = [
              "x", # a comment with = sign
              "y",
            ]
            name = \"\"\"
            [[team]]
            not = a header
            \"\"\"
            manager = "z"
            [[team]]
            id = "b"
            """
        let map = ConfigSourceMap(text: text)
        #expect(map.line(of: "team[0].members") == 3)
        #expect(map.line(of: "team[0].members[1]") == 5, "an element of a multi-line array is on its own line")
        #expect(map.line(of: "team[0].members[1].nothing") == 5, "an unknown path falls back to its parent")
        #expect(map.line(of: "team[0].manager") == 11)
        #expect(map.line(of: "team[1].id") == 13)
        #expect(map.line(of: "team[2]") == nil)
    }

    @Test func loadThrowsEveryErrorButReturnsWarnings() throws {
        let path = temporaryDirectory() + "/n.toml"
        write(exampleConfig(replacing: "id = \"alice\"\n", with: "id = \"alice\"\nshoe = 1\n"), to: path)
        #expect(throws: ConfigError.self) { try ConfigFile.load(path: path) }
        write(ExampleConfig.text + "\n[[target]]\nid = \"x\"\nkind = \"ntfy\"\nurl = \"https://ntfy.example/t\"\n", to: path)
        let (config, warnings) = try ConfigFile.load(path: path)
        #expect(config.targets.count == 3 && warnings.count == 1)
    }
}

func lineNumber(of needle: String, in text: String) -> Int? {
    text.split(separator: "\n", omittingEmptySubsequences: false).firstIndex { $0.contains(needle) }.map { $0 + 1 }
}

import Foundation

/// Every duration key takes a number of seconds or a duration string, the same way.
@Suite struct DurationKeysTests {
    @Test func everyDurationKeyTakesSecondsOrAString() throws {
        let base = exampleConfig(replacing: "catch_up = \"2h\"", with: "catch_up = 7200")
            + "\n[[source]]\nid = \"tool\"\nkind = \"command\"\ncommand = [\"/bin/true\"]\ntimeout = \"5s\"\n"
            + "\n[[target]]\nid = \"slow\"\nkind = \"stdout\"\ntimeout = \"2m\"\n"
        let (config, found) = Config.parse(text: base, file: "t.toml")
        #expect(found.isEmpty, "\(found)")
        #expect(config?.schedules[0].catchUp == 7_200 && config?.sources[0].timeout == 5 && config?.target("slow")?.timeout == 120)
        let (fractional, _) = Config.parse(text: base.replacingOccurrences(of: "timeout = \"2m\"", with: "timeout = 2.5"), file: "t.toml")
        #expect(fractional?.target("slow")?.timeout == 2.5)
        for (old, new, key, message) in [
            ("timeout = \"5s\"", "timeout = \"2h\"", "source[0].timeout", "must be between 1s and 1h, found 2h"),
            ("catch_up = 7200", "catch_up = -5", "schedule[0].catch_up", "must not be negative"),
            ("catch_up = 7200", "catch_up = \"soon\"", "schedule[0].catch_up", "\"soon\" is not a duration"),
            ("timeout = \"2m\"", "timeout = \"0s\"", "target[2].timeout", "must be greater than 0"),
            // Found by the config fuzzer: numbers past what an Int holds crashed the loader.
            ("catch_up = 7200", "catch_up = 1e300", "schedule[0].catch_up", "must be at most"),
            ("catch_up = 7200", "catch_up = \"99999999999999999w\"", "schedule[0].catch_up", "is not a duration"),
            ("timeout = \"2m\"", "timeout = 9.3e18", "target[2].timeout", "must be at most"),
            ("timeout = \"5s\"", "timeout = 1e300", "source[0].timeout", "must be at most"),
        ] {
            let problems = diagnostics(base.replacingOccurrences(of: old, with: new))
            #expect(problems.contains { $0.keyPath == key && $0.message.contains(message) }, "\(new): \(problems)")
        }
    }
}

