import NarrateModel
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
        // Line breaks fold to spaces (one space for \r\n, as one line break).
        let text = raw.utf8.contains(where: { $0 == 10 || $0 == 13 || $0 == 0x0B || $0 == 0x0C || $0 >= 0xC2 })
            ? String(raw.map { $0.isNewline ? " " : $0 }) : raw
        let bytes = Array(text.utf8)
        var result: [UInt8] = []
        result.reserveCapacity(bytes.count + 16)
        for (index, byte) in bytes.enumerated() {
            if byte < 128 && inlineSpecialBytes[Int(byte)] { result.append(UInt8(ascii: "\\")) }
            result.append(byte)
            if byte == UInt8(ascii: "@") && isBroadcast(bytes, after: index) {
                result += wordJoiner
            } else if byte == UInt8(ascii: "<"), index + 1 < bytes.count, "!@#".utf8.contains(bytes[index + 1]) {
                // Slack's `<!here>`, `<@U123>` and `<#C123>` lose their meaning.
                result += wordJoiner
            }
        }
        return escapeLineStart(String(decoding: result, as: UTF8.self))
    }

    static let wordJoiner = Array("\u{2060}".utf8)
    static let inlineSpecialBytes: [Bool] = (0..<128).map { byte in
        inlineSpecials.contains(Character(Unicode.Scalar(UInt8(byte))))
    }
    static let broadcastBytes = broadcastMentions.map { Array($0.utf8) }

    /// A word joiner (U+2060) after `@` keeps `@here` readable but no longer a mention: whether
    /// a broadcast word (`here`, `channel`, …, any case) follows position `index`, and
    /// no letter or digit after it.
    static func isBroadcast(_ bytes: [UInt8], after index: Int) -> Bool {
        broadcastBytes.contains { word in
            let end = index + 1 + word.count
            guard end <= bytes.count else { return false }
            for (offset, letter) in word.enumerated() where bytes[index + 1 + offset] | 0x20 != letter { return false }
            guard end < bytes.count else { return true }
            let next = bytes[end]
            if next >= 0x80 {
                let character = String(decoding: bytes[end...].prefix(4), as: UTF8.self).first
                return !(character.map { $0.isLetter || $0.isNumber } ?? false)
            }
            return !((next | 0x20 >= 0x61 && next | 0x20 <= 0x7A) || (next >= 0x30 && next <= 0x39))
        }
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
