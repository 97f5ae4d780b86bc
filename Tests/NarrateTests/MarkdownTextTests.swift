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

@Suite struct MarkdownTextTests {
    /// What cmark-gfm makes of an escaped text inside a list item.
    func parsed(_ text: String) -> MarkdownDocument.Node {
        MarkdownDocument(parsing: "- " + MarkdownText.escape(text) + "\n").root
    }

    @Test(arguments: [
        "**bold** and _italic_ and ~~gone~~", "`code` and ``more``", "[click](https://evil.example)",
        "![img](https://x.example/a.png)", "<script>alert(1)</script>", "&amp; &#x41; &copy;", "| a | b |",
        "# not a heading", "1. not a list", "- not a list", "+ nope", "> not a quote", "\\*escaped\\*", "a\\",
        "line\nbreak", "$x$", "---",
    ])
    func textStaysOneLiteralParagraph(text: String) {
        let root = parsed(text)
        let kinds = Set(root.descendants.map(\.type))
        #expect(kinds.isSubset(of: ["document", "list", "item", "paragraph", "text", "link"]), "\(kinds)")
        // GFM autolinks a bare URL; that is visible as written. A link never hides its target behind other text.
        for link in root.descendants where link.type == "link" {
            #expect(link.plainText == link.url)
        }
        let expected = text.replacingOccurrences(of: "\n", with: " ")
        #expect(root.plainText == expected)
    }

    @Test(arguments: ["@channel", "@here", "@everyone", "@all", "<!here>", "<@U0123ABC>", "ping @Here now"])
    func mentionsAreBroken(text: String) {
        let escaped = MarkdownText.escape(text)
        let plain = parsed(text).plainText
        #expect(!plain.lowercased().contains("@here") && !plain.contains("@channel") && !plain.contains("@everyone"))
        #expect(!plain.contains("<@U") && !plain.contains("@all"))
        #expect(plain.replacingOccurrences(of: "\u{2060}", with: "") == text)
        #expect(escaped.contains("\u{2060}"))
    }

    @Test func ordinaryAddressesAndWordsAreLeftAlone() {
        #expect(MarkdownText.escape("mail alice@example.com about @hereford") == "mail alice@example.com about @hereford")
        #expect(MarkdownText.escape("2026 plans") == "2026 plans")
    }
}
