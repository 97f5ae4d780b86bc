import Foundation
import Testing
@testable import NarrateModel
@testable import NarrateTOML
@testable import NarrateConfig
@testable import NarrateReport
@testable import NarrateTargets
@testable import NarratePlatform

/// `[http]` in the config: each mistake is reported at its line and key.
@Suite struct HTTPConfigTests {
    func problems(_ http: String) -> [String] {
        let text = ExampleConfig.text + "\n[http]\n" + http + "\n"
        let base = ExampleConfig.text.split(separator: "\n", omittingEmptySubsequences: false).count + 1
        return diagnostics(text).map { "\($0.line - base) \($0.keyPath): \($0.message)" }
    }

    @Test func aGoodHTTPTableIsRead() throws {
        let text = ExampleConfig.text + """

            [http]
            listen = "[::1]:9000"
            socket = "/run/narrate/narrate.sock"
            public_url = "https://narrate.example.org/"
            discord_public_key = "\(String(repeating: "0f", count: 32))"
            max_body = 4096
            rate = 30
            token_lifetime = "30d"
            """
        let (config, found) = Config.parse(text: text, file: "t.toml")
        #expect(found.isEmpty, "\(found)")
        let http = try #require(config?.http)
        #expect(http.hostAndPort?.host == "::1")
        #expect(http.hostAndPort?.port == 9000)
        #expect(http.publicURL == "https://narrate.example.org")
        #expect(http.maxBody == 4096 && http.rate == 30 && http.tokenLifetime == 30 * 86400)
    }

    @Test func eachMistakeNamesItsLineAndKey() {
        #expect(problems(#"listen = "localhost""#).first?.hasPrefix("1 http.listen: \"localhost\" is neither host:port") == true)
        #expect(problems(#"public_url = "narrate.example.org""#).first?.hasPrefix("1 http.public_url: \"narrate.example.org\" is not an http(s) URL") == true)
        #expect(problems(#"discord_public_key = "abc""#).first?.hasPrefix("1 http.discord_public_key: must be the 64 hex digits") == true)
        #expect(problems("listen = \"127.0.0.1:1\"\nsocket = \"narrate.sock\"").first?.hasPrefix("2 http.socket: must be an absolute path") == true)
        #expect(problems("rate = 0").first?.hasPrefix("1 http.rate:") == true)
        #expect(problems(#"slack_signing_secret = "abc""#).first?.hasPrefix("1 http.slack_signing_secret: secret written in plain text") == true)
        #expect(problems(#"lisen = "127.0.0.1:1""#).first?.contains(#"did you mean "listen""#) == true)
    }
}

/// `[[source]]` tables and KPI queries: each mistake at its key.
@Suite struct SourceConfigTests {
    func errors(_ text: String) -> [String] {
        diagnostics(ExampleConfig.text + "\n" + text + "\n").filter { $0.severity == .error }.map { "\($0.keyPath): \($0.message)" }
    }

    @Test func sourceTablesAreReadAndChecked() {
        let (config, found) = Config.parse(text: ExampleConfig.text + """

            [[source]]
            id = "gh"
            kind = "github"
            mode = "auto"
            repos = ["acme/app"]
            token_env = "GITHUB_TOKEN"
            teams = ["platform"]

            [[source]]
            id = "notes"
            kind = "journal"
            path = "journal"
            people = ["alice"]
            """, file: "t.toml")
        #expect(found.filter { $0.severity == .error }.isEmpty, "\(found)")
        #expect(config?.sources.map(\.id) == ["gh", "notes"])
        #expect(config?.sources.first?.mode == .auto && config?.sources.last?.mode == .draft)
        #expect(errors("[[source]]\nid = \"x\"\nkind = \"svn\"").first?.hasPrefix("source[0].kind: \"svn\" is not one of journal, git, github, command") == true)
        #expect(errors("[[source]]\nid = \"x\"\nkind = \"github\"\nrepos = [\"app\"]\ntoken_env = \"T\"").first?.hasPrefix("source[0].repos: repos[0] \"app\" is not owner/name") == true)
        #expect(errors("[[source]]\nid = \"x\"\nkind = \"git\"").first == "source[0]: missing required key \"repos\"")
        #expect(errors("[[source]]\nid = \"x\"\nkind = \"journal\"\npath = \"j\"\nteams = [\"platfrom\"]").first?.hasPrefix("source[0].teams[0]: \"platfrom\" is not a team (did you mean \"platform\"?") == true)
        #expect(errors("[[source]]\nid = \"x\"\nkind = \"command\"\ncommand = []").first?.hasPrefix("source[0].command:") == true)
    }
}
