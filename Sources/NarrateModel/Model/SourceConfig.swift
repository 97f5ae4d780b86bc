/// A `[[source]]` table: where work that already left a trace comes from.
public struct SourceConfig: Sendable, Equatable {
    public enum Kind: String, Sendable, CaseIterable { case journal, git, github, command }
    /// `draft`: people confirm each entry on their check-in page or with `narrate drafts`;
    /// `auto`: entries go straight into the report, marked with their origin.
    public enum Mode: String, Sendable, CaseIterable { case draft, auto }

    public var id: String
    public var kind: Kind
    public var mode: Mode = .draft
    /// Teams whose members it covers (empty: every team), and people (empty: every member).
    public var teams: [String] = []
    public var people: [String] = []
    /// journal: a directory with one subdirectory per person id.
    public var path: String?
    /// git: repository paths or globs; github: `owner/name`.
    public var repos: [String] = []
    /// github: the API's base URL (GitHub Enterprise: `https://ghe.example.org/api/v3`).
    public var baseURL: String = "https://api.github.com"
    public var token: Secret?
    /// command: the argv to run.
    public var command: [String] = []
    /// Seconds a run may take.
    public var timeout: Int = 30

    public init(id: String, kind: Kind) {
        self.id = id
        self.kind = kind
    }

    /// Whether it covers `person` of `team`.
    public func covers(_ person: String, of team: String) -> Bool {
        (teams.isEmpty || teams.contains(team)) && (people.isEmpty || people.contains(person))
    }
}
