import Foundation
import NarrateModel
import NarrateTargets

/// What `narrate init` asks a new user, and the config it makes of the answers: one team, its
/// people, a weekly slot in a time zone, and one chat target whose webhook URL is kept in a
/// file of its own (never in the config, which is logged, shared and committed).
public struct FirstConfig: Sendable, Equatable {
    public struct Member: Sendable, Equatable {
        public var name: String
        public var unixUser: String?

        public init(name: String, unixUser: String?) {
            self.name = name
            self.unixUser = unixUser
        }
    }

    /// A day of the week and a time of day, as cron writes them.
    public struct WeeklySlot: Sendable, Equatable, CustomStringConvertible {
        public static let days = ["SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT"]
        static let names = ["Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"]

        public var day: Int
        public var hour: Int
        public var minute: Int

        /// `Fri 17:00`, `friday 5:30`, `thu 9`: a day's name (three letters at least) and a 24-hour time.
        public init(parsing text: String) throws {
            let words = text.split(whereSeparator: { $0 == " " || $0 == "," }).map(String.init)
            guard words.count == 2 else { throw NarrateError(.invalidInput, "give a day and a time, e.g. Fri 17:00") }
            let word = words[0].lowercased()
            guard word.count >= 3, let day = Self.names.firstIndex(where: { $0.lowercased().hasPrefix(word) }) else {
                throw NarrateError(.invalidInput, "\"\(words[0])\" is not a day of the week (Mon … Sun)")
            }
            let time = words[1].split(separator: ":", omittingEmptySubsequences: false)
            guard (1...2).contains(time.count), let hour = Int(time[0]), (0...23).contains(hour),
                let minute = time.count == 2 ? Int(time[1]) : 0, (0...59).contains(minute), time.count == 1 || time[1].count == 2
            else {
                throw NarrateError(.invalidInput, "\"\(words[1])\" is not a time of day (00:00 to 23:59)")
            }
            (self.day, self.hour, self.minute) = (day, hour, minute)
        }

        public var cron: String { "\(minute) \(hour) * * \(Self.days[day])" }
        public var description: String { "\(Self.names[day])s at \(String(format: "%02d:%02d", hour, minute))" }
    }

    /// A chat target: a kind that takes only a webhook URL, and the URL.
    public struct Chat: Sendable, Equatable {
        public var kind: Target.Kind
        public var url: String

        public init(kind: Target.Kind, url: String) {
            self.kind = kind
            self.url = url
        }

        /// The kinds a webhook URL is enough for, as `init` offers them.
        public static var kinds: [Target.Kind] {
            Target.Kind.allCases.filter { $0.descriptor.keys.required == ["url"] && $0.descriptor.keys.secrets.contains("url") }
        }

        /// Why `url` cannot be a webhook URL, or nil.
        public static func problem(_ url: String) -> String? {
            guard let parsed = URL(string: url), let scheme = parsed.scheme?.lowercased(), ["https", "http"].contains(scheme),
                parsed.host?.isEmpty == false
            else { return "a webhook URL starts with https:// and names a host" }
            return nil
        }
    }

    public var teamName: String
    public var members: [Member]
    public var timeZone: String
    public var locale: String
    public var slot: WeeklySlot
    public var chat: Chat?

    public init(teamName: String, members: [Member], timeZone: String, locale: String = "en", slot: WeeklySlot, chat: Chat?) {
        self.teamName = teamName
        self.members = members
        self.timeZone = timeZone
        self.locale = locale
        self.slot = slot
        self.chat = chat
    }

    public var teamID: String { Self.identifier(teamName, otherwise: "team") }
    public var chatID: String { teamID + "-chat" }

    /// Each member's id: their Unix user, else their name's letters, else `person-N`; unique.
    public var memberIDs: [String] {
        var taken: Set<String> = []
        return members.enumerated().map { index, member in
            var id = Self.identifier(member.unixUser ?? member.name, otherwise: "person-\(index + 1)")
            if taken.contains(id) { id += "-\(index + 1)" }
            taken.insert(id)
            return id
        }
    }

    /// A config id from a name: lowercase ASCII letters, digits and '-', starting with a letter.
    static func identifier(_ name: String, otherwise fallback: String) -> String {
        let folded = name.applyingTransform(.stripDiacritics, reverse: false) ?? name
        var id = ""
        for scalar in folded.lowercased().unicodeScalars {
            if ("a"..."z").contains(scalar) || ("0"..."9").contains(scalar) || scalar == "_" || scalar == "." {
                id.unicodeScalars.append(scalar)
            } else if !id.isEmpty && !id.hasSuffix("-") {
                id += "-"
            }
        }
        while id.hasSuffix("-") { id.removeLast() }
        return id.first?.isLetter == true ? id : fallback
    }

    /// The config: commented, in the example's order; the webhook URL read from `credentialsFile`.
    public func text(credentialsFile: String?, stateDir: String?) -> String {
        let ids = memberIDs
        var lines = [
            "# narrate configuration, written by `narrate init`; docs/configuration.md lists every key and",
            "# /usr/share/doc/narrate/examples/narrate.example.toml shows KPIs and guardrails.",
            "# `narrate check` validates it; `narrate preview --team \(teamID)` shows the report it makes.",
            "",
            "[narrate]",
            "timezone = \(Self.quoted(timeZone))",
            "locale = \(Self.quoted(locale))   # en | zh-Hant",
        ]
        if let stateDir { lines.append("state_dir = \(Self.quoted(stateDir))  # written by narrate init") }
        lines += ["", "# People write their work narrative: progress, blockers, next actions, learnings."]
        for (member, id) in zip(members, ids) {
            lines += ["[[person]]", "id = \(Self.quoted(id))", "name = \(Self.quoted(member.name))"]
            if let user = member.unixUser {
                lines.append("unix_user = \(Self.quoted(user))   # `narrate log` as this Unix user is \(member.name)")
            }
            lines.append("")
        }
        let targets = (chat == nil ? [] : [chatID]) + ["archive"]
        lines += [
            "[[team]]",
            "id = \(Self.quoted(teamID))",
            "name = \(Self.quoted(teamName))",
            "members = [\(ids.map(Self.quoted).joined(separator: ", "))]",
            "targets = [\(targets.map(Self.quoted).joined(separator: ", "))]",
            "",
            "[[schedule]]",
            "id = \(Self.quoted(teamID + "-weekly"))",
            "team = \(Self.quoted(teamID))",
            "cron = \(Self.quoted(slot.cron))   # \(slot)",
            "timezone = \(Self.quoted(timeZone))",
            "period = \"week\"",
            "catch_up = \"2h\"   # a slot missed by less than this still runs once",
            "",
        ]
        if let chat, let credentialsFile {
            lines += [
                "[[target]]",
                "id = \(Self.quoted(chatID))",
                "kind = \(Self.quoted(chat.kind.rawValue))",
                "url_file = \(Self.quoted(credentialsFile))   # the webhook URL, mode 0600",
                "",
            ]
        }
        lines += [
            "[[target]]",
            "id = \"archive\"",
            "kind = \"file\"",
            "path = \"reports/{team}-{date}.md\"   # under the state directory",
            "",
            "# Next: KPIs with their guardrails ([[kpi]]), reminders (remind_before in [[schedule]]),",
            "# check-in from phones and chat ([http]); see docs/configuration.md.",
        ]
        return lines.joined(separator: "\n") + "\n"
    }

    /// The message `init` offers to post, so the user sees the target works before Friday.
    public var testMessage: String {
        let zone = timeZone
        if locale == "zh-Hant" {
            let day = ["日", "一", "二", "三", "四", "五", "六"][slot.day]
            return "**narrate 已設定完成。** \(teamName) 的週報將於每週\(day) \(String(format: "%02d:%02d", slot.hour, slot.minute))（\(zone)）發到這裡。這是 `narrate init` 的測試訊息。"
        }
        return "**narrate is set up.** \(teamName)'s weekly report will come here on \(slot) (\(zone)). This is a test message from `narrate init`."
    }

    /// A TOML basic string.
    static func quoted(_ text: String) -> String {
        var out = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\t": out += "\\t"
            default:
                if scalar.value < 0x20 || scalar.value == 0x7F {
                    out += String(format: "\\u%04X", scalar.value)
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
        return out + "\""
    }
}
