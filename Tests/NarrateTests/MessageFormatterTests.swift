import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
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

@Suite struct MessageFormatterTests {
    static let report = try! ReportRenderer().teamReport(ReportFixture.report, locale: "en")

    /// A report long enough to need several parts everywhere: the fixture's people many times over,
    /// plus a code block, a long paragraph and emoji made of several code points.
    static let long: String = {
        var text = report
        for index in 1...40 {
            text += "\n### Person \(index)\n\n- Shipped feature \(index) with a [changelog](https://example.org/\(index)) and `code \(index)`\n- Fixed 👩‍👩‍👧‍👦 bug \(index) & more <stuff>\n"
        }
        text += "\n```\n" + (1...80).map { "let line\($0) = \($0)" }.joined(separator: "\n") + "\n```\n"
        text += "\n" + Array(repeating: "word", count: 9_000).joined(separator: " ") + "\n"
        return text
    }()

    @Test(arguments: Dialect.allCases.filter { $0 != .commonmark })
    func partsFitTheLimitInTheDialectsUnit(dialect: Dialect) {
        let parts = MessageFormatter(dialect: dialect).parts(Self.long)
        #expect(parts.count > 1)
        for (index, part) in parts.enumerated() {
            #expect(dialect.measure(part) <= dialect.limit, "part \(index + 1) is \(dialect.measure(part)) \(dialect.unit)")
            #expect(part.hasSuffix("(\(index + 1)/\(parts.count))") || part.hasSuffix("(\(index + 1)/\(parts.count))</p>"))
        }
    }

    @Test(arguments: [Dialect.slack, .discord, .telegram, .matrix, .mattermost, .zulip, .teams, .googleChat, .ntfy])
    func smallLimitsKeepEveryWordAndBlockWhole(dialect: Dialect) {
        let parts = MessageFormatter(dialect: dialect, limit: 300).parts(Self.long)
        for part in parts { #expect(dialect.measure(part) <= 300) }
        let joined = parts.joined(separator: "\n")
        // Every person line, link target and code line arrives, and no emoji is cut apart.
        for index in 1...40 {
            #expect(joined.contains("feature \(index) with"), "\(index)")
            #expect(joined.contains("https://example.org/\(index)"))
        }
        #expect(joined.components(separatedBy: "👩‍👩‍👧‍👦").count == 41)
        for line in 1...80 { #expect(joined.contains("line\(line) = \(line)")) }
        #expect(joined.components(separatedBy: "word").count - 1 >= 9_000)
    }

    /// Scalars counted from UTF-8 lead bytes agree with Swift's own count, for every script and
    /// for scalars of every length (1–4 bytes).
    /// Found by the formatting fuzzer: a lone `<` before a `<url|text>` link made the hard cut
    /// keep everything up to the link's `>` as one unit, and a Google Chat part came out at 107
    /// of 100 characters.
    @Test func aLoneLessThanBeforeALinkDoesNotGlueTheTextTogether() {
        let text = "# `<[a](https://x.org)`* * * **👩‍💻__[a](https://x.org)"
        for dialect in Dialect.allCases {
            let formatter = MessageFormatter(dialect: dialect, limit: 100)
            let parts = formatter.parts(text)
            #expect(parts.allSatisfy { dialect.measure($0) <= 100 }, "\(dialect): \(parts.map { dialect.measure($0) })")
        }
    }

    @Test func scalarCountAgreesWithSwift() {
        var random = SeededRandom(seed: 41)
        let alphabet = Array("aZ 9\n\té漢字😀🇹🇼\u{0301}\u{200B}ß".unicodeScalars)
        for _ in 0..<2_000 {
            let text = random.text(of: alphabet, length: 0...40)
            #expect(Dialect.scalarCount(text) == text.unicodeScalars.count, "\(text.debugDescription)")
        }
        // A string Foundation made (bridged storage) is counted too.
        let bridged = NSString(string: "na\u{EF}ve 漢").description
        #expect(Dialect.scalarCount(bridged) == 7 && bridged.unicodeScalars.count == 7)
    }

    @Test func codeBlocksAreReFencedInEveryPart() {
        let parts = MessageFormatter(dialect: .mattermost, limit: 200).parts(Self.long)
        for part in parts {
            let fences = part.components(separatedBy: "```").count - 1
            #expect(fences % 2 == 0, "unbalanced fence in \(part)")
        }
    }

    @Test func telegramAndMatrixPartsAreWellFormedHTML() throws {
        for dialect in [Dialect.telegram, .matrix] {
            for part in MessageFormatter(dialect: dialect, limit: 500).parts(Self.long) {
                let parser = XMLParser(data: Data("<root>\(part)</root>".utf8))
                #expect(parser.parse(), "\(dialect): \(parser.parserError.map { "\($0)" } ?? "") in \(part)")
            }
        }
    }

    @Test func entitiesAndEscapesAreNeverCut() {
        let text = String(repeating: "a<b>&c ", count: 200)
        for dialect in [Dialect.telegram, .slack, .discord] {
            for part in MessageFormatter(dialect: dialect, limit: 50).parts(text) {
                #expect(!part.contains("&am ") && !part.hasSuffix("&") && !part.hasSuffix("\\"))
                if dialect == .telegram { #expect(XMLParser(data: Data("<r>\(part)</r>".utf8)).parse()) }
            }
        }
        let word = String(repeating: "x", count: 120) + "&&&"
        for part in MessageFormatter(dialect: .telegram, limit: 40).parts(word) {
            #expect(part.utf16.count <= 40)
        }
    }

    @Test func dialectsSpeakTheirOwnSyntax() {
        let markdown = "# Title\n\nSome **bold**, _it_, ~~gone~~, `code` and [a link](https://x.example).\n\n| A | B |\n|---|---|\n| 1 | 2 |\n"
        let slack = MessageFormatter(dialect: .slack).parts(markdown)[0]
        #expect(slack.hasPrefix("*Title*\n\nSome *bold*, _it_, ~gone~, `code` and <https://x.example|a link>."))
        #expect(slack.contains("• *1*: B 2"))
        let discord = MessageFormatter(dialect: .discord).parts(markdown)[0]
        #expect(discord.hasPrefix("# Title\n\nSome **bold**, *it*, ~~gone~~, `code` and [a link](<https://x.example>)."))
        let telegram = MessageFormatter(dialect: .telegram).parts(markdown)[0]
        #expect(telegram.hasPrefix("<b>Title</b>\n\nSome <b>bold</b>, <i>it</i>, <s>gone</s>, <code>code</code> and <a href=\"https://x.example\">a link</a>."))
        let mattermost = MessageFormatter(dialect: .mattermost).parts(markdown)[0]
        #expect(mattermost.contains("| A | B |\n|---|---|\n| 1 | 2 |"))
        let zulip = MessageFormatter(dialect: .zulip).parts(markdown)[0]
        #expect(zulip.hasPrefix("**Title**"))
        let matrix = MessageFormatter(dialect: .matrix).parts(markdown)[0]
        #expect(matrix.hasPrefix("<h1>Title</h1>\n\n<p>Some <b>bold</b>"))
    }

    @Test func userTextStaysLiteralInEveryDialect() {
        let escaped = "- " + MarkdownText.escape("*not bold* <b>x</b> & @here") + "\n"
        #expect(MessageFormatter(dialect: .telegram).parts(escaped)[0] == "• *not bold* &lt;b&gt;x&lt;/b&gt; &amp; @\u{2060}here")
        let slack = MessageFormatter(dialect: .slack).parts(escaped)[0]
        #expect(slack.contains("&lt;b&gt;x&lt;/b&gt; &amp; @\u{2060}here"))
        #expect(slack.contains("\u{2060}*\u{2060}not"))
        #expect(MessageFormatter(dialect: .discord).parts(escaped)[0] == "- \\*not bold\\* \\<b\\>x\\</b\\> & @\u{2060}here")
    }

    @Test func commonMarkThatFitsIsPassedThroughExactly() {
        #expect(MessageFormatter(dialect: .commonmark).parts(Self.report) == [Self.report])
        let split = MessageFormatter(dialect: .commonmark, limit: 1_000).parts(Self.report)
        #expect(split.count > 2 && split.allSatisfy { $0.unicodeScalars.count <= 1_000 })
    }
}
