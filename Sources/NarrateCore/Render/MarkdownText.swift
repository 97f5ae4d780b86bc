/// Makes user text (entries, names, notes) safe to place inside a CommonMark report.
///
/// The text cannot restyle the report or add structure: emphasis, code, links, headings, list
/// markers, tables, raw HTML and entities are backslash-escaped, line breaks are folded, and
/// mentions (`@channel`, `@here`, `@everyone`, `<!here>`, `<@U…>`) are broken so no chat
/// system pings anyone because of what someone wrote.
public enum MarkdownText {
    /// ASCII punctuation that CommonMark or GFM can give meaning to inline.
    static let inlineSpecials: Set<Character> = ["\\", "`", "*", "_", "[", "]", "<", ">", "&", "|", "~", "!", "#", "$"]
    /// Words after `@` that notify a whole room in some chat system.
    static let broadcastMentions = ["channel", "here", "everyone", "all", "room", "group"]

    public static func escape(_ raw: String) -> String {
        var text = String(raw.map { $0.isNewline ? " " : $0 })
        text = neutralizeMentions(text)
        var result = ""
        result.reserveCapacity(text.count + 8)
        for character in text {
            if inlineSpecials.contains(character) { result.append("\\") }
            result.append(character)
        }
        return escapeLineStart(result)
    }

    /// A word joiner (U+2060) after `@` keeps `@here` readable but no longer a mention.
    static func neutralizeMentions(_ text: String) -> String {
        var result = ""
        var index = text.startIndex
        while index < text.endIndex {
            let character = text[index]
            result.append(character)
            if character == "@" {
                let rest = text[text.index(after: index)...].lowercased()
                let isBroadcast = broadcastMentions.contains { word in
                    rest.hasPrefix(word) && !(rest.dropFirst(word.count).first.map { $0.isLetter || $0.isNumber } ?? false)
                }
                if isBroadcast { result.append("\u{2060}") }
            } else if character == "<", let next = text[text.index(after: index)...].first, "!@#".contains(next) {
                // Slack's `<!here>`, `<@U123>` and `<#C123>` lose their meaning.
                result.append("\u{2060}")
            }
            index = text.index(after: index)
        }
        return result
    }

    /// Text that starts like a block (`- `, `+ `, `1. `, `= `, `>`, `#`) must stay a paragraph.
    static func escapeLineStart(_ text: String) -> String {
        guard let first = text.first else { return text }
        if first == "-" || first == "+" || first == "=" {
            return "\\" + text
        }
        if first.isASCII, first.isNumber {
            let digits = text.prefix(while: { $0.isASCII && $0.isNumber })
            let after = text.dropFirst(digits.count).first
            if after == "." || after == ")" {
                return digits + "\\" + text.dropFirst(digits.count)
            }
        }
        return text
    }
}
