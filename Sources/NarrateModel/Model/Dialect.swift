/// A chat system's flavour of text, and how much of it one message may hold.
public enum Dialect: String, Sendable, CaseIterable {
    case slack, discord, mattermost, teams
    case googleChat = "google-chat"
    case telegram, matrix, zulip, ntfy, commonmark
    /// LINE: plain text, the report's structure kept in lines and marks.
    case line
    /// Lark and Feishu card Markdown; DingTalk's and WeCom's Markdown subsets.
    case lark, dingtalk, wecom

    /// What a limit counts.
    public enum Unit: String, Sendable {
        /// Unicode code points.
        case characters
        case utf16
        case bytes
    }

    /// The largest part narrate sends, in ``unit``s (below the platform's hard limit where
    /// the platform counts something else too, such as the JSON around the text).
    public var limit: Int {
        switch self {
        case .slack: 4_000  // Slack takes 40,000, but long messages are cut off for reading
        case .discord: 2_000
        case .mattermost: 16_383
        case .teams: 24_000  // the whole card may be about 28 KB
        case .googleChat: 32_000
        case .telegram: 4_096
        case .matrix: 30_000  // body and formatted_body together stay under the 65,536-byte event
        case .zulip: 10_000
        case .ntfy: 4_096
        case .commonmark: Int.max
        case .line: 5_000  // a text message's documented maximum (LINE counts UTF-16 units)
        case .lark: 18_000  // the request body may be 20 KB; the card and signature take the rest
        case .dingtalk: 4_000  // DingTalk documents no size for Markdown; long ones are cut off in the client
        case .wecom: 4_096  // "最长不超过4096个字节" of UTF-8
        }
    }

    public var unit: Unit {
        switch self {
        case .slack, .discord, .mattermost, .zulip, .commonmark: .characters
        case .telegram, .line: .utf16
        case .dingtalk: .characters
        case .teams, .googleChat, .matrix, .ntfy, .lark, .wecom: .bytes
        }
    }

    /// The length of `text` in this dialect's unit.
    public func measure(_ text: String) -> Int {
        switch unit {
        case .characters: Self.scalarCount(text)
        case .utf16: text.utf16.count
        case .bytes: text.utf8.count
        }
    }

    /// The Unicode scalars of `text`, counted as the UTF-8 bytes that start one (every byte but
    /// `10xxxxxx`): `unicodeScalars.count` decoded each scalar, and the splitter measures every
    /// block and word of every part.
    static func scalarCount(_ text: String) -> Int {
        var text = text
        return text.withUTF8 { bytes in
            var count = 0
            for byte in bytes where byte & 0xC0 != 0x80 { count += 1 }
            return count
        }
    }
}
