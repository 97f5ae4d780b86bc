import NarrateModel
/// How one dialect writes each piece of a CommonMark document.
struct DialectSyntax: Sendable {
    var escape: @Sendable (String) -> String
    var strong: @Sendable (String) -> String
    var emphasis: @Sendable (String) -> String
    var strike: @Sendable (String) -> String
    var code: @Sendable (String) -> String
    var link: @Sendable (_ text: String, _ url: String) -> String
    /// A heading: kept as a heading where the dialect has them, else a bold line.
    var heading: @Sendable (_ level: Int, _ text: String) -> String
    var codeBlock: @Sendable (String) -> String
    var quoteLine: @Sendable (String) -> String
    var bullet: String
    var rule: String
    /// GFM tables are kept; otherwise each row becomes a list item.
    var tables: Bool
    var isHTML: Bool

    static func markdown(headings: Bool, tables: Bool, escape: @escaping @Sendable (String) -> String) -> DialectSyntax {
        DialectSyntax(
            escape: escape, strong: { "**\($0)**" }, emphasis: { "_\($0)_" }, strike: { "~~\($0)~~" },
            code: { Self.backtickCode($0) }, link: { "[\($0)](\($1))" },
            heading: { level, text in headings ? String(repeating: "#", count: level) + " " + text : "**\(text)**" },
            codeBlock: { "```\n\($0)\n```" }, quoteLine: { "> \($0)" }, bullet: "- ", rule: "---", tables: tables,
            isHTML: false)
    }

    /// A code span that survives backticks inside it.
    static func backtickCode(_ text: String) -> String {
        let longest = text.split(whereSeparator: { $0 != "`" }).map(\.count).max() ?? 0
        let fence = String(repeating: "`", count: longest + 1)
        let pad = text.hasPrefix("`") || text.hasSuffix("`") ? " " : ""
        return fence + pad + text + pad + fence
    }

    static func commonMarkEscape(_ text: String) -> String {
        commonMarkSpecials.escape(text)
    }

    static let commonMarkSpecials = ByteEscapes(backslashBefore: "\\`*_[]<>&|~!#")
    static let discordSpecials = ByteEscapes(backslashBefore: "\\`*_[]<>|~#")
    static let htmlEntities = ByteEscapes(["&": "&amp;", "<": "&lt;", ">": "&gt;", "\"": "&quot;"])
    /// Slack and Google Chat have no escapes; `& < >` become entities and formatting marks get a
    /// word joiner beside them so they cannot pair up into bold, italics or strike-through.
    static let slackMarks = ByteEscapes([
        "&": "&amp;", "<": "&lt;", ">": "&gt;", "*": "\u{2060}*\u{2060}", "_": "\u{2060}_\u{2060}",
        "~": "\u{2060}~\u{2060}", "`": "\u{2060}`\u{2060}",
    ])

    /// Lark's, DingTalk's and WeCom's Markdown document no escapes: a word joiner beside each
    /// formatting mark keeps it from pairing up, and one after `<` keeps a tag (`<at id=all>`,
    /// `<font>`) from forming, while the reader sees the same characters.
    static let joinedMarks = ByteEscapes([
        "*": "\u{2060}*\u{2060}", "_": "\u{2060}_\u{2060}", "~": "\u{2060}~\u{2060}", "`": "\u{2060}`\u{2060}",
        "[": "\u{2060}[\u{2060}", "]": "\u{2060}]\u{2060}", "<": "<\u{2060}",
    ])

    static func joinedEscape(_ text: String) -> String { joinedMarks.escape(text) }

    static func htmlEscape(_ text: String) -> String { htmlEntities.escape(text) }

    static func slackEscape(_ text: String) -> String { slackMarks.escape(text) }

    static func syntax(for dialect: Dialect) -> DialectSyntax {
        switch dialect {
        case .commonmark, .mattermost:
            return .markdown(headings: true, tables: true, escape: commonMarkEscape)
        case .ntfy:
            return .markdown(headings: true, tables: false, escape: commonMarkEscape)
        case .zulip:
            return .markdown(headings: false, tables: true, escape: commonMarkEscape)
        case .discord:
            // Discord has no entities, so `&` stays as it is.
            var syntax = DialectSyntax.markdown(headings: true, tables: false) { discordSpecials.escape($0) }
            syntax.emphasis = { "*\($0)*" }
            syntax.link = { "[\($0)](<\($1)>)" }
            syntax.heading = { level, text in String(repeating: "#", count: min(level, 3)) + " " + text }
            return syntax
        case .teams:
            var syntax = DialectSyntax.markdown(headings: false, tables: false, escape: commonMarkEscape)
            syntax.strike = { $0 }
            syntax.code = { $0 }
            syntax.codeBlock = { $0 }
            return syntax
        case .slack, .googleChat:
            return DialectSyntax(
                escape: slackEscape, strong: { "*\($0)*" }, emphasis: { "_\($0)_" }, strike: { "~\($0)~" },
                code: { "`\($0)`" }, link: { "<\($1)|\($0)>" }, heading: { "*\($1)*" }, codeBlock: { "```\n\($0)\n```" },
                quoteLine: { "> \($0)" }, bullet: "• ", rule: "――――", tables: false, isHTML: false)
        case .line:
            // Plain text: the structure is kept in lines and marks, links written out.
            return DialectSyntax(
                escape: { $0 }, strong: { $0 }, emphasis: { $0 }, strike: { $0 }, code: { $0 },
                link: { text, url in text == url ? url : "\(text) (\(url))" },
                heading: { level, text in level <= 2 ? "【\(text)】" : "■ \(text)" }, codeBlock: { $0 },
                quoteLine: { "｜\($0)" }, bullet: "• ", rule: "――――", tables: false, isHTML: false)
        case .lark:
            // Card Markdown: bold, italics, strike-through and links; no headings or code.
            var syntax = DialectSyntax.markdown(headings: false, tables: false, escape: joinedEscape)
            syntax.emphasis = { "*\($0)*" }
            syntax.code = { $0 }
            syntax.codeBlock = { $0 }
            syntax.quoteLine = { "｜\($0)" }
            return syntax
        case .dingtalk:
            // DingTalk's subset: headings, quotes, bold, italics, links and lists.
            var syntax = DialectSyntax.markdown(headings: true, tables: false, escape: joinedEscape)
            syntax.emphasis = { "*\($0)*" }
            syntax.strike = { $0 }
            syntax.code = { $0 }
            syntax.codeBlock = { $0 }
            return syntax
        case .wecom:
            // WeCom's subset: headings, bold, links, inline code and quotes.
            var syntax = DialectSyntax.markdown(headings: true, tables: false, escape: joinedEscape)
            syntax.emphasis = { $0 }
            syntax.strike = { $0 }
            syntax.code = { "`\($0)`" }
            syntax.codeBlock = { $0 }
            return syntax
        case .telegram, .matrix:
            let matrix = dialect == .matrix
            return DialectSyntax(
                escape: htmlEscape, strong: { "<b>\($0)</b>" }, emphasis: { "<i>\($0)</i>" },
                strike: { matrix ? "<del>\($0)</del>" : "<s>\($0)</s>" }, code: { "<code>\($0)</code>" },
                link: { "<a href=\"\(htmlEscape($1))\">\($0)</a>" },
                heading: { level, text in matrix ? "<h\(level)>\(text)</h\(level)>" : "<b>\(text)</b>" },
                codeBlock: { "<pre>\($0)</pre>" }, quoteLine: { $0 }, bullet: "• ", rule: "――――", tables: false,
                isHTML: true)
        }
    }
}

/// Replacements for ASCII characters, applied to UTF-8 bytes: an ASCII byte never occurs inside
/// a multi-byte sequence, so this is exact. Built once per table; text with nothing to replace
/// is returned as it is.
struct ByteEscapes: Sendable {
    private let replacements: [[UInt8]?]

    init(_ table: [Character: String]) {
        var replacements = [[UInt8]?](repeating: nil, count: 128)
        for (character, replacement) in table {
            guard let byte = character.asciiValue else { continue }
            replacements[Int(byte)] = Array(replacement.utf8)
        }
        self.replacements = replacements
    }

    /// A backslash before each of `specials`.
    init(backslashBefore specials: String) {
        self.init(Dictionary(uniqueKeysWithValues: specials.map { ($0, "\\\($0)") }))
    }

    func escape(_ text: String) -> String {
        guard text.utf8.contains(where: { $0 < 128 && replacements[Int($0)] != nil }) else { return text }
        var result: [UInt8] = []
        result.reserveCapacity(text.utf8.count + 32)
        for byte in text.utf8 {
            if byte < 128, let replacement = replacements[Int(byte)] {
                result += replacement
            } else {
                result.append(byte)
            }
        }
        return String(decoding: result, as: UTF8.self)
    }
}
