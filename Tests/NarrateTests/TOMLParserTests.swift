import Foundation
import Testing
@testable import NarrateModel
@testable import NarrateTOML
@testable import NarrateConfig
@testable import NarrateReport
@testable import NarrateTargets
@testable import NarratePlatform

/// narrate's TOML parser against Python's tomllib on random documents, and the cases that matter
/// to someone typing a config: where an error is, and that no input stops the process.
@Suite struct TOMLParserTests {
    /// tomllib's verdicts on `count` random documents from `seed` (Tests/toml/tomllib_oracle.py).
    static func oracle(seed: UInt64, count: Int) async throws -> [[String: Any]] {
        let script = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("toml/tomllib_oracle.py").path
        let process = try await ChildProcess.run("/usr/bin/env", ["python3", script, String(seed), String(count)])
        guard process.status == 0 else { throw NarrateError(.internal, "tomllib_oracle.py failed: \(process.stderr)") }
        return try Data(process.stdout.utf8).split(separator: UInt8(ascii: "\n")).map {
            try JSONSerialization.jsonObject(with: Data($0)) as? [String: Any] ?? [:]
        }
    }

    /// Whether a parsed value is what tomllib read, type for type.
    static func same(_ value: TOMLValue, _ tagged: Any) -> Bool {
        switch value {
        case .array(let elements):
            guard let list = tagged as? [Any], list.count == elements.count else { return false }
            return zip(elements, list).allSatisfy { same($0, $1) }
        case .table(let table):
            guard let object = (tagged as? [String: Any])?["table"] as? [String: Any], object.count == table.keys.count else { return false }
            return table.allSatisfy { key, value in object[key].map { same(value, $0) } ?? false }
        default:
            guard let tag = tagged as? [String: Any], tag.count == 1, let (kind, payload) = tag.first else { return false }
            switch (value, kind) {
            case (.string(let string), "s"): return payload as? String == string
            case (.integer(let int), "i"): return payload as? String == String(int)
            case (.float(let double), "f"):
                guard let text = payload as? String, let theirs = Double(text) else { return false }
                return (double.isNaN && theirs.isNaN) || (double == theirs && double.sign == theirs.sign)
            case (.bool(let bool), "b"): return payload as? Bool == bool
            case (.dateTime, "dt"), (.date, "d"), (.time, "t"): return true
            default: return false
            }
        }
    }

    /// Fixed seeds: a run fails or passes the same way every time (the seed names the case).
    @Test(arguments: [1, 2, 3] as [UInt64])
    func agreesWithTomllib(seed: UInt64) async throws {
        let cases = try await Self.oracle(seed: seed, count: 1500)
        #expect(cases.count == 1500)
        var accepted = 0
        for document in cases {
            let text = document["text"] as? String ?? ""
            let parsed = TOMLParser.parse(text)
            if document["ok"] as? Bool == true {
                accepted += 1
                guard let table = parsed.table else {
                    Issue.record("seed \(seed): tomllib accepts \(text.debugDescription), narrate says \(String(describing: parsed.error))")
                    continue
                }
                #expect(Self.same(.table(table), document["value"] as Any), "seed \(seed): \(text.debugDescription) read as \(table)")
            } else {
                #expect(parsed.table == nil, "seed \(seed): tomllib rejects \(text.debugDescription) (\(document["error"] ?? "")), narrate accepts it")
            }
        }
        // The generator must keep producing both kinds, or the comparison says little.
        #expect(accepted > 150 && accepted < 1350, "seed \(seed): \(accepted) of 1500 accepted")
    }

    /// The inputs that stopped the process when a C++ parser read the config (CI crashed on one).
    @Test func unbalancedBracketsAndDeepNestingAreErrorsWithTheirLine() {
        let cases: [(text: String, line: Int, column: Int)] = [
            ("members = [\n}\n", 2, 1),
            ("x = [ 1, }", 1, 10),
            ("x = {a = [}", 1, 11),
            ("[team]\nx = [[\n}", 3, 1),
            ("[", 1, 2),
            ("[[=", 1, 3),
            ("[[[team]]]", 1, 3),
            ("x = " + String(repeating: "[", count: 10_000), 1, 69),
            ("x = " + String(repeating: "{a = ", count: 10_000), 1, 325),
        ]
        for (text, line, column) in cases {
            let result = TOMLParser.parse(text)
            #expect(result.table == nil, "\(text.prefix(20).debugDescription)")
            #expect(result.error?.line == line && result.error?.column == column, "\(text.prefix(20).debugDescription): \(String(describing: result.error))")
        }
    }

    /// Text made of the characters TOML gives meaning to, at random: always a table or an error
    /// that points into the text, never a crash.
    @Test func randomTextNeverCrashesAndErrorsPointIntoIt() {
        let alphabet = Array("[]{}=,.\"'#\\\n\r\t abc_-019+:TZe\u{0}\u{7f}漢")
        var generator = SeededRandom(seed: 20261207)
        for _ in 0..<3_000 {
            let text = String((0..<Int.random(in: 0...40, using: &generator)).map { _ in alphabet.randomElement(using: &generator)! })
            let result = TOMLParser.parse(text)
            #expect((result.table == nil) == (result.error != nil), "\(text.debugDescription)")
            if let error = result.error {
                // Line feeds as bytes: "\r\n" is one Character, which a split on "\n" would miss.
                let lines = text.utf8.filter { $0 == UInt8(ascii: "\n") }.count + 1
                #expect(error.line >= 1 && error.line <= lines && error.column >= 1, "\(text.debugDescription): \(error)")
            }
        }
    }

    @Test func linesOfKeysAndArrayElements() throws {
        let text = """
            [narrate]
            timezone = "UTC"

            [[team]]
            id = "support"
            members = [
              "alice",  # lead
              "bob",
            ]
            [[team]]
            id = "ops"
            settings.digest = { when = "monday", to = ["carol"] }
            """
        let result = TOMLParser.parse(text)
        #expect(result.error == nil)
        let expected = [
            "narrate": 1, "narrate.timezone": 2, "team[0]": 4, "team[0].id": 5, "team[0].members": 6,
            "team[0].members[0]": 7, "team[0].members[1]": 8, "team[1]": 10, "team[1].id": 11,
            "team[1].settings": 12, "team[1].settings.digest.to[0]": 12,
        ]
        for (path, line) in expected { #expect(result.lines[path] == line, "\(path)") }
        let teams = try #require(result.table?["team"]?.array)
        #expect(teams.count == 2 && teams[0].table?["members"]?.array?.compactMap(\.string) == ["alice", "bob"])
        #expect(teams[1].table?["settings"]?.table?["digest"]?.table?["to"]?.array == [.string("carol")])
        // Keys keep the order they were written in, for messages about unknown keys.
        #expect(result.table?.keys == ["narrate", "team"])
    }

    @Test func tablesCannotBeDefinedTwiceOrReopened() {
        let cases: [(String, String)] = [
            ("[a]\nx = 1\n[a]\n", #"table "a" is already defined as [a] on line 1"#),
            ("a.b = 1\n[a]\n", #"table "a" is already defined with dotted keys on line 1"#),
            ("[x.y]\n[x]\ny.z = 1\n", #"table "x.y" is defined on line 1; a dotted key cannot add to it"#),
            ("[a.b.c]\n[a]\nb.d = 1\n[a.b]\n", #"table "a.b" is already defined with dotted keys on line 1"#),
            ("x = {a = 1}\n[x]\n", #""x" is an inline table (line 1), not a table"#),
            ("x = 1\nx = 2\n", #""x" is defined twice (first on line 1)"#),
            ("a = []\n[[a]]\n", #""a" is an array (line 1), not an array of tables"#),
        ]
        for (text, message) in cases {
            #expect(TOMLParser.parse(text).error?.message == message, "\(text.debugDescription)")
        }
        // What TOML does allow: a sub-table under a dotted one, and an implicit parent defined later.
        #expect(TOMLParser.parse("[f]\napple.color = 1\n[f.apple.texture]\nsmooth = true\n").error == nil)
        #expect(TOMLParser.parse("[a.b]\nx = 1\n[a]\ny = 2\n").error == nil)
        #expect(TOMLParser.parse("[a.b.c]\n[a]\nb.d = 1\n").error == nil, "a parent only named by a header takes dotted keys")
    }

    @Test func aWordWithoutQuotesIsNamedAsSuch() {
        let error = TOMLParser.parse("[narrate]\nlocale = en\n").error
        #expect(error == TOMLSyntaxError(line: 2, column: 10, message: #"expected a value, found "en" (text needs quotes: "…")"#))
        // Columns count characters: the bad escape after three Chinese characters is in column 10.
        #expect(TOMLParser.parse("x = \"漢字字\\q\"").error?.column == 9)
    }
}
