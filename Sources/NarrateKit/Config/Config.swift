import Foundation

/// Everything narrate knows from its TOML config: people, teams, KPIs, schedules, targets.
public struct Config: Sendable {
    /// The path the config was read from, as given.
    public var file: String
    /// Default zone for teams, people and schedules.
    public var timeZone: String
    /// `en` or `zh-Hant`.
    public var locale: String
    public var stateDir: String?
    public var templatesDir: String?
    public var persons: [Person] = []
    public var teams: [Team] = []
    public var kpis: [KPI] = []
    public var schedules: [Schedule] = []
    public var targets: [Target] = []
    public var http: HTTPSettings?

    public static let locales = ["en", "zh-Hant"]

    public init(file: String, timeZone: String = "UTC", locale: String = "en") {
        self.file = file
        self.timeZone = timeZone
        self.locale = locale
    }

    public func person(_ id: String) -> Person? { persons.first { $0.id == id } }
    public func team(_ id: String) -> Team? { teams.first { $0.id == id } }
    public func kpi(_ id: String) -> KPI? { kpis.first { $0.id == id } }
    public func target(_ id: String) -> Target? { targets.first { $0.id == id } }
    public func schedule(_ id: String) -> Schedule? { schedules.first { $0.id == id } }

    /// The teams a person belongs to.
    public func teams(of person: String) -> [Team] { teams.filter { $0.members.contains(person) } }

    /// The zone a person's days are counted in.
    public func zone(of person: Person) -> TimeZone {
        Self.zone(person.timeZone ?? teams(of: person.id).first?.timeZone ?? timeZone)
    }

    public func zone(of team: Team) -> TimeZone { Self.zone(team.timeZone ?? timeZone) }

    /// The zone of the team with this id, else the config's default zone.
    public func zone(ofTeam id: String) -> TimeZone {
        team(id).map(zone(of:)) ?? Self.zone(timeZone)
    }

    /// The first schedule that reports on a team: it decides the team's default period.
    public func firstSchedule(of team: Team) -> Schedule? { schedules.first { $0.team == team.id } }

    static func zone(_ identifier: String) -> TimeZone {
        TimeZone(identifier: identifier) ?? TimeZone(identifier: "UTC")!
    }

    /// An unknown person id as an error that lists the known ones.
    public func requirePerson(_ id: String) throws -> Person {
        if let person = person(id) { return person }
        let hint = Suggestion.closest(to: id, in: persons.map(\.id)).map { " Did you mean \"\($0)\"?" } ?? ""
        throw NarrateError(
            "unknown person \"\(id)\".\(hint) Known: \(persons.map(\.id).joined(separator: ", "))")
    }

    public func requireTeam(_ id: String) throws -> Team {
        if let team = team(id) { return team }
        throw NarrateError("unknown team \"\(id)\". Known: \(teams.map(\.id).joined(separator: ", "))")
    }

    public func requireSchedule(_ id: String) throws -> Schedule {
        if let schedule = schedule(id) { return schedule }
        throw NarrateError("unknown schedule \"\(id)\". Known: \(schedules.map(\.id).joined(separator: ", "))")
    }

    public func requireKPI(_ id: String) throws -> KPI {
        if let kpi = kpi(id) { return kpi }
        let hint = Suggestion.closest(to: id, in: kpis.map(\.id)).map { " Did you mean \"\($0)\"?" } ?? ""
        throw NarrateError("unknown KPI \"\(id)\".\(hint) Known: \(kpis.map(\.id).joined(separator: ", "))")
    }
}

/// The optional check-in service.
public struct HTTPSettings: Sendable, Equatable {
    public var listen: String
    public var publicURL: String?
    public var slackSigningSecret: Secret?
    public var mattermostToken: Secret?
}

extension Config {
    /// Reads and validates a config file, running every check including the KPI lint.
    ///
    /// Returns the config (as far as it could be read) and every diagnostic, errors and warnings.
    public static func check(path: String) -> (config: Config?, diagnostics: [Diagnostic]) {
        guard let data = FileManager.default.contents(atPath: path) else {
            let why = FileManager.default.fileExists(atPath: path) ? "cannot be read" : "does not exist (narrate init writes an example)"
            return (nil, [Diagnostic(file: path, line: 1, severity: .error, keyPath: "", message: "config file \(why)")])
        }
        guard let text = String(data: data, encoding: .utf8) else {
            return (nil, [Diagnostic(file: path, line: 1, severity: .error, keyPath: "", message: "config file is not UTF-8 text")])
        }
        return parse(text: text, file: path)
    }

    /// Validates config text; `file` is only used in messages.
    public static func parse(text: String, file: String) -> (config: Config?, diagnostics: [Diagnostic]) {
        let loader = ConfigLoader(text: text, file: file)
        let config = loader.load()
        let sorted = loader.sink.diagnostics.enumerated().sorted {
            ($0.element.line, $0.offset) < ($1.element.line, $1.offset)
        }.map(\.element)
        return (config, sorted)
    }

    /// Loads a config for use: throws ``ConfigError`` listing every error; warnings are returned.
    public static func load(path: String) throws -> (config: Config, warnings: [Diagnostic]) {
        let (config, diagnostics) = check(path: path)
        let errors = diagnostics.filter { $0.severity == .error }
        guard errors.isEmpty, let config else { throw ConfigError(diagnostics: errors) }
        return (config, diagnostics)
    }
}
