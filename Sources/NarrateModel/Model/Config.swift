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
    /// People who may act for others (`--as`) and fix anyone's entries.
    public var admins: [String] = []
    /// When nobody is sent reminders, in each person's own zone (a person may set their own).
    public var quietHours: QuietHours?
    public var templatesDir: String?
    public var persons: [Person] = [] {
        didSet { personIndex = Self.index(persons, by: \.id) }
    }
    public var teams: [Team] = [] {
        didSet { teamIndex = Self.index(teams, by: \.id) }
    }
    public var kpis: [KPI] = [] {
        didSet { kpiIndex = Self.index(kpis, by: \.id) }
    }
    public var schedules: [Schedule] = []
    public var targets: [Target] = [] {
        didSet { targetIndex = Self.index(targets, by: \.id) }
    }
    /// Positions by id: every report looks up its members and targets, and a search through a
    /// thousand people per member was a visible part of a 50-team cycle.
    private var personIndex: [String: Int] = [:]
    private var teamIndex: [String: Int] = [:]
    private var kpiIndex: [String: Int] = [:]
    private var targetIndex: [String: Int] = [:]
    public var http: HTTPSettings?
    /// `[store]`: a PostgreSQL database shared by several instances; nil for the SQLite file in
    /// the state directory.
    public var store: StoreSettings?
    /// Where work that already left a trace comes from (`[[source]]`).
    public var sources: [SourceConfig] = []
    /// Every secret the config names, with its key path and line, for `narrate check` to resolve.
    public var secretSources: [SecretSource] = []

    public static let locales = ["en", "zh-Hant"]

    public init(file: String, timeZone: String = "UTC", locale: String = "en") {
        self.file = file
        self.timeZone = timeZone
        self.locale = locale
    }

    /// Every id the config gives (people, teams, KPIs, schedules, targets, sources), and the
    /// program's own name: words that show up in reports, logs and file names.
    public var ids: Set<String> {
        var ids: Set<String> = ["narrate"]
        ids.formUnion(persons.map(\.id))
        ids.formUnion(teams.map(\.id))
        ids.formUnion(kpis.map(\.id))
        ids.formUnion(schedules.map(\.id))
        ids.formUnion(targets.map(\.id))
        ids.formUnion(sources.map(\.id))
        return ids
    }

    public func person(_ id: String) -> Person? { personIndex[id].map { persons[$0] } }
    public func team(_ id: String) -> Team? { teamIndex[id].map { teams[$0] } }
    public func kpi(_ id: String) -> KPI? { kpiIndex[id].map { kpis[$0] } }
    public func target(_ id: String) -> Target? { targetIndex[id].map { targets[$0] } }

    /// The first position of each id (a duplicate id is an error `check` reports; the first wins, as a search would).
    static func index<Item>(_ items: [Item], by id: (Item) -> String) -> [String: Int] {
        var index: [String: Int] = [:]
        for (position, item) in items.enumerated() where index[id(item)] == nil { index[id(item)] = position }
        return index
    }
    public func schedule(_ id: String) -> Schedule? { schedules.first { $0.id == id } }

    public func isAdmin(_ person: Person) -> Bool { admins.contains(person.id) }

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

    public static func zone(_ identifier: String) -> TimeZone {
        TimeZone(identifier: identifier) ?? TimeZone(identifier: "UTC")!
    }

    /// An unknown person id as an error that lists the known ones.
    public func requirePerson(_ id: String) throws -> Person {
        if let person = person(id) { return person }
        let hint = Suggestion.closest(to: id, in: persons.map(\.id)).map { " Did you mean \"\($0)\"?" } ?? ""
        throw NarrateError(.notFound,
            "unknown person \"\(id)\".\(hint) Known: \(persons.map(\.id).joined(separator: ", "))")
    }

    public func requireTeam(_ id: String) throws -> Team {
        if let team = team(id) { return team }
        throw NarrateError(.notFound, "unknown team \"\(id)\". Known: \(teams.map(\.id).joined(separator: ", "))")
    }

    public func requireSchedule(_ id: String) throws -> Schedule {
        if let schedule = schedule(id) { return schedule }
        throw NarrateError(.notFound, "unknown schedule \"\(id)\". Known: \(schedules.map(\.id).joined(separator: ", "))")
    }

    public func requireTarget(_ id: String) throws -> Target {
        if let target = target(id) { return target }
        throw NarrateError(.notFound, "unknown target \"\(id)\". Known: \(targets.map(\.id).joined(separator: ", "))")
    }

    public func requireKPI(_ id: String) throws -> KPI {
        if let kpi = kpi(id) { return kpi }
        let hint = Suggestion.closest(to: id, in: kpis.map(\.id)).map { " Did you mean \"\($0)\"?" } ?? ""
        throw NarrateError(.notFound, "unknown KPI \"\(id)\".\(hint) Known: \(kpis.map(\.id).joined(separator: ", "))")
    }
}

/// A secret named in the config file, and where.
public struct SecretSource: Sendable, Equatable {
    /// `target[2].url_env`
    public var keyPath: String
    public var secret: Secret
    /// The value is a URL (a webhook URL kept secret).
    public var isURL: Bool

    public init(keyPath: String, secret: Secret, isURL: Bool) {
        self.keyPath = keyPath
        self.secret = secret
        self.isURL = isURL
    }
}

/// The optional check-in service.
public struct HTTPSettings: Sendable, Equatable {
    /// `host:port` (127.0.0.1 by default) or the path of a Unix socket.
    public var listen: String
    /// The local socket `narrate` commands on the server use (peer credentials name the caller);
    /// nil: `$RUNTIME_DIRECTORY/narrate.sock` under systemd, else none.
    public var socket: String?
    /// The base of check-in links, as people reach the service through its proxy.
    public var publicURL: String?
    public var slackSigningSecret: Secret?
    public var mattermostToken: Secret?
    /// Discord's application public key (hex), to check interaction signatures.
    public var discordPublicKey: String?
    /// A LINE channel's secret (it signs the webhook's requests) and access token (for replies),
    /// and the Messaging API's base (tests point it at a loopback server).
    public var lineChannelSecret: Secret?
    public var lineChannelToken: Secret?
    public var lineAPI = "https://api.line.me"
    /// A Lark / Feishu app's event subscription verification token.
    public var larkVerificationToken: Secret?
    /// The largest request body accepted, in bytes.
    public var maxBody: Int
    /// Requests a minute allowed per token and per address.
    public var rate: Int
    /// How long a new token is valid, in seconds (nil: until revoked).
    public var tokenLifetime: Int?
    /// Addresses of reverse proxies whose `X-Forwarded-For` names the client (exact IPs).
    public var trustedProxies: [String] = []
    /// Seconds a whole request (headers and body) may take to arrive.
    public var requestTimeout: Int = 30
    /// Open connections allowed from one client address (not counting trusted proxies).
    public var maxConnectionsPerAddress: Int = 32

    public init(
        listen: String = "127.0.0.1:8470", socket: String? = nil, publicURL: String? = nil,
        slackSigningSecret: Secret? = nil, mattermostToken: Secret? = nil, discordPublicKey: String? = nil,
        maxBody: Int = 65536, rate: Int = 60, tokenLifetime: Int? = 90 * 86400
    ) {
        self.listen = listen
        self.socket = socket
        self.publicURL = publicURL
        self.slackSigningSecret = slackSigningSecret
        self.mattermostToken = mattermostToken
        self.discordPublicKey = discordPublicKey
        self.maxBody = maxBody
        self.rate = rate
        self.tokenLifetime = tokenLifetime
    }

    /// The TCP host and port of `listen`, nil when it is a socket path.
    public var hostAndPort: (host: String, port: Int)? {
        guard !listen.hasPrefix("/"), let colon = listen.lastIndex(of: ":"), let port = Int(listen[listen.index(after: colon)...]),
            (0...65535).contains(port)
        else { return nil }
        var host = String(listen[..<colon])
        if host.hasPrefix("["), host.hasSuffix("]") { host = String(host.dropFirst().dropLast()) }
        return (host.isEmpty ? "127.0.0.1" : host, port)
    }
}

extension Config {
    /// The config's `templates_dir`, relative to the config file's directory.
    public var templatesPath: String? {
        guard let directory = templatesDir else { return nil }
        if directory.hasPrefix("/") { return directory }
        let base = (file as NSString).deletingLastPathComponent
        return base.isEmpty ? directory : base + "/" + directory
    }
}

extension Config {
    /// The zone a schedule is evaluated in: its own, else its team's, else the config's.
    public func zone(of schedule: Schedule) -> TimeZone {
        if let zone = schedule.timeZone { return Self.zone(zone) }
        return zone(ofTeam: schedule.team)
    }
}

extension Config {
    /// The zone a command's times are read in: the schedule's team's, the team's, else the config's.
    public func zone(forTeam teamID: String?, schedule scheduleID: String?) -> TimeZone {
        if let scheduleID, let schedule = schedule(scheduleID) { return zone(ofTeam: schedule.team) }
        if let teamID { return zone(ofTeam: teamID) }
        return Self.zone(timeZone)
    }
}
