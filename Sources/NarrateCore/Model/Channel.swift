/// A personal channel: a target that holds the credentials, and the person's address on it
/// (`"mail:alice@example.org"`, `"slack-bot:U0123ABC"`, `"tg:123456"`). Reminders, blocker
/// follow-ups and escalations go to a person's channels.
public struct Channel: Sendable, Equatable, Codable, CustomStringConvertible {
    public var target: String
    public var address: String

    public init(target: String, address: String) {
        self.target = target
        self.address = address
    }

    /// `TARGET:ADDRESS`; nil when there is no colon or either side is empty.
    public init?(parsing text: String) {
        guard let colon = text.firstIndex(of: ":") else { return nil }
        target = String(text[..<colon])
        address = String(text[text.index(after: colon)...])
        if target.isEmpty || address.isEmpty { return nil }
    }

    public var description: String { "\(target):\(address)" }

    /// Why `address` cannot be used on a target of `kind`, or nil when it can.
    public static func problem(address: String, kind: Target.Kind) -> String? {
        switch kind {
        case .email:
            return MailMessage.isAddress(address) ? nil : "\"\(address)\" is not a plain mail address"
        case .telegram:
            let id = address.hasPrefix("-") ? address.dropFirst() : Substring(address)
            return !id.isEmpty && id.allSatisfy(\.isNumber) || address.hasPrefix("@") ? nil : "\"\(address)\" is not a Telegram chat id"
        case .ntfy:
            return address.count <= 64 && address.allSatisfy({ $0.isLetter && $0.isASCII || $0.isNumber || $0 == "-" || $0 == "_" })
                ? nil : "\"\(address)\" is not an ntfy topic (letters, digits, - and _, at most 64)"
        case .slackBot:
            return address.allSatisfy({ $0.isUppercase || $0.isNumber }) && address.count >= 3 ? nil : "\"\(address)\" is not a Slack user id (U0123ABC)"
        case .matrix:
            let parts = address.split(separator: ":", maxSplits: 1)
            return address.hasPrefix("@") && parts.count == 2 && !parts[1].isEmpty ? nil : "\"\(address)\" is not a Matrix user id (@alice:example.org)"
        default:
            return "a \(kind.rawValue) target cannot reach one person; use an email, slack-bot, matrix, telegram or ntfy target"
        }
    }
}

/// Hours of the day, in a person's own zone, when narrate sends them nothing (`"22:00-08:00"`).
public struct QuietHours: Sendable, Equatable, Codable {
    /// Minutes after midnight.
    public var start: Int
    public var end: Int

    public init?(parsing text: String) {
        let parts = text.split(separator: "-")
        guard parts.count == 2, let start = Self.minutes(parts[0]), let end = Self.minutes(parts[1]), start != end else { return nil }
        self.start = start
        self.end = end
    }

    static func minutes(_ text: Substring) -> Int? {
        let parts = text.trimmingCharacters(in: .whitespaces).split(separator: ":")
        guard parts.count == 2, let hour = Int(parts[0]), let minute = Int(parts[1]), (0...23).contains(hour), (0...59).contains(minute)
        else { return nil }
        return hour * 60 + minute
    }

    public func contains(minute: Int) -> Bool {
        start < end ? (start..<end).contains(minute) : minute >= start || minute < end
    }
}
