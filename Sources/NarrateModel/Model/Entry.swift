import Foundation

/// One line of a person's work narrative.
public struct Entry: Sendable, Equatable, Codable {
    /// The four parts of the narrative, plus explicit small wins.
    public enum Kind: String, Sendable, Codable, CaseIterable {
        case progress, blocker, next, learned, win
        /// Work for others that would otherwise look like idleness: a review, pairing, an answer.
        case helped
        /// Help wanted from someone outside the person's reach; opens the report.
        case ask
        /// A decision the person needs from the lead or the team; opens the report.
        case decision

        /// The letter in front of an entry's number: `B-12` is blocker 12.
        public var prefix: String {
            switch self {
            case .progress: "P"
            case .blocker: "B"
            case .next: "N"
            case .learned: "L"
            case .win: "W"
            case .helped: "H"
            case .ask: "A"
            case .decision: "D"
            }
        }

        /// The kind with its article, as a sentence names it: "a blocker", "an ask".
        public var withArticle: String { ("aeiou".contains(rawValue.first!) ? "an " : "a ") + rawValue }

        init?(prefix: String) {
            guard let kind = Self.allCases.first(where: { $0.prefix == prefix.uppercased() }) else { return nil }
            self = kind
        }
    }

    /// Where in the process a blocker sits, so a pile-up in one stage shows.
    public enum Stage: String, Sendable, Codable, CaseIterable { case front, middle, back }

    /// Blockers and next actions are followed until they close.
    public enum State: String, Sendable, Codable, CaseIterable { case open, resolved, done, dropped }

    public var id: Int64
    public var person: String
    public var kind: Kind
    public var text: String
    public var stage: Stage?
    public var kpi: String?
    public var at: Date
    /// nil for kinds that do not close (progress, learned, win).
    public var state: State?
    public var closedAt: Date?
    public var note: String?
    /// The source that brought it in (`git`, `github`, …); nil when a person wrote it.
    public var origin: String?
    /// Where it can be seen (a pull request, a commit), when its source knows.
    public var url: String?

    public init(
        id: Int64 = 0, person: String, kind: Kind, text: String, stage: Stage? = nil, kpi: String? = nil,
        at: Date, state: State? = nil, closedAt: Date? = nil, note: String? = nil
    ) {
        self.id = id
        self.person = person
        self.kind = kind
        self.text = text
        self.stage = stage
        self.kpi = kpi
        self.at = at
        self.state = state ?? ((kind == .blocker || kind == .next) ? .open : nil)
        self.closedAt = closedAt
        self.note = note
    }

    /// The entry as it stood at `instant`: a blocker or next action closed after it is open.
    public func asOf(_ instant: Date) -> Entry {
        guard let closedAt, closedAt > instant else { return self }
        var open = self
        open.state = .open
        open.closedAt = nil
        open.note = nil
        return open
    }

    /// The id people type: `B-12`.
    /// `B-12`; `B-new` for an entry a source found that is not imported yet (a preview's).
    public var displayID: String { id > 0 ? "\(kind.prefix)-\(id)" : "\(kind.prefix)-new" }
}

/// An entry id as typed on the command line: `B-12`, `b12` or `12`.
public struct EntryReference: Sendable, Equatable, CustomStringConvertible {
    public var number: Int64
    public var kind: Entry.Kind?

    public init(number: Int64, kind: Entry.Kind?) {
        self.number = number
        self.kind = kind
    }

    public init(parsing text: String) throws {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        let letters = trimmed.prefix(while: { $0.isLetter })
        var rest = trimmed.dropFirst(letters.count)
        if rest.first == "-" { rest = rest.dropFirst() }
        guard let number = Int64(rest), number > 0 else {
            throw NarrateError(.invalidInput, "\"\(text)\" is not an entry id; ids look like B-12 (blocker) or N-7 (next action)")
        }
        if letters.isEmpty {
            kind = nil
        } else if let kind = Entry.Kind(prefix: String(letters)) {
            self.kind = kind
        } else {
            let letters = Entry.Kind.allCases.map(\.prefix).joined(separator: ", ")
            throw NarrateError(.invalidInput, "\"\(text)\" is not an entry id; the letter is one of \(letters)")
        }
        self.number = number
    }

    public var description: String { kind.map { "\($0.prefix)-\(number)" } ?? String(number) }
}
