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
