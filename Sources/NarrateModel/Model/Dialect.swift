/// A chat system's flavour of text, and how much of it one message may hold.
public enum Dialect: String, Sendable, CaseIterable {
    case slack, discord, mattermost, teams
    case googleChat = "google-chat"
    case telegram, matrix, zulip, ntfy, commonmark

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
        }
    }

    public var unit: Unit {
        switch self {
        case .slack, .discord, .mattermost, .zulip, .commonmark: .characters
        case .telegram: .utf16
        case .teams, .googleChat, .matrix, .ntfy: .bytes
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
