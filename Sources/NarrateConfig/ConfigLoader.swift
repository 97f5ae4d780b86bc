import NarrateModel
import NarrateTOML
import NarrateTargets
import Foundation

/// Turns TOML text into a ``Config``, collecting every problem instead of stopping at the first.
final class ConfigLoader {
    let text: String
    let sink: DiagnosticSink
    /// Key path of each item, for diagnostics raised after reading (`team[1]`).
    var personPaths: [String] = []
    var teamPaths: [String] = []
    var kpiPaths: [String] = []
    var schedulePaths: [String] = []
    var targetPaths: [String] = []
    var sourcePaths: [String] = []
    /// Keys written in each KPI table, valid or not, so the lint does not call a mistyped value missing.
    var kpiKeys: [Set<String>] = []

    /// Whether a path is a directory: the one question about the file system the loader asks.
    let isDirectory: (String) -> Bool

    init(text: String, file: String, isDirectory: @escaping (String) -> Bool) {
        self.text = text
        self.isDirectory = isDirectory
        sink = DiagnosticSink(file: file, text: text)
    }

    func load() -> Config? {
        let parsed = TOMLParser.parse(text, recordingLines: false)
        guard let root = parsed.table else {
            let error = parsed.error ?? TOMLSyntaxError(line: 1, column: 1, message: "unreadable")
            sink.add(Diagnostic(
                file: sink.file, line: error.line, severity: .error, keyPath: "",
                message: "TOML syntax: \(error.message) (column \(error.column))"))
            return nil
        }
        var config = Config(file: sink.file)
        let top = TableReader(root, path: "", sink: sink)
        if let table = subtable(top, "narrate") { readSettings(table, into: &config) }
        config.persons = items(top, "person", paths: &personPaths).compactMap(readPerson)
        config.teams = items(top, "team", paths: &teamPaths).compactMap(readTeam)
        config.kpis = items(top, "kpi", paths: &kpiPaths).compactMap(readKPI)
        config.schedules = items(top, "schedule", paths: &schedulePaths).compactMap(readSchedule)
        config.targets = items(top, "target", paths: &targetPaths).compactMap(readTarget)
        if let table = subtable(top, "http") { config.http = readHTTP(table) }
        if let table = subtable(top, "store") { config.store = readStore(table) }
        config.sources = items(top, "source", paths: &sourcePaths).compactMap(readSource)
        top.finish()
        config.secretSources = sink.secrets
        checkReferences(config)
        lintKPIs(config)
        return config
    }

    private func subtable(_ top: TableReader, _ key: String) -> TableReader? {
        top.allow([key])
        guard let value = top.table[key] else { return nil }
        guard let table = value.table else {
            top.error(key, "must be a table ([\(key)]), found \(TableReader.describe(value.type))")
            return nil
        }
        return TableReader(table, path: key, sink: sink)
    }

    /// The `[[key]]` tables, each with its reader; paths are kept in the same order.
    private func items(_ top: TableReader, _ key: String, paths: inout [String]) -> [TableReader] {
        top.allow([key])
        guard let value = top.table[key] else { return [] }
        guard let array = value.array else {
            top.error(key, "must be an array of tables ([[\(key)]]), found \(TableReader.describe(value.type))")
            return []
        }
        var readers: [TableReader] = []
        for (index, element) in array.enumerated() {
            let path = "\(key)[\(index)]"
            guard let table = element.table else {
                sink.add(.error, path, "must be a table, found \(TableReader.describe(element.type))")
                continue
            }
            readers.append(TableReader(table, path: path, sink: sink))
        }
        return readers
    }

    private func readSettings(_ table: TableReader, into config: inout Config) {
        if let zone = table.timeZone("timezone") { config.timeZone = zone }
        if let locale = locale(table, "locale") { config.locale = locale }
        config.stateDir = table.string("state_dir")
        config.admins = table.strings("admins") ?? []
        config.quietHours = quietHours(table)
        config.templatesDir = table.string("templates_dir")
        if let directory = config.templatesDir {
            let base = (sink.file as NSString).deletingLastPathComponent
            let path = directory.hasPrefix("/") || base.isEmpty ? directory : base + "/" + directory
            if !isDirectory(path) {
                table.error("templates_dir", "\(path) is not a directory")
            }
        }
        table.finish()
    }

    private func locale(_ table: TableReader, _ key: String) -> String? {
        guard let locale = table.string(key) else { return nil }
        guard Config.locales.contains(locale) else {
            table.error(key, "\"\(locale)\" is not a supported locale (\(Config.locales.joined(separator: ", ")))")
            return nil
        }
        return locale
    }

    private func readPerson(_ table: TableReader) -> Person? {
        defer { table.finish() }
        let id = identifier(table)
        var person = Person(
            id: id ?? "", name: table.string("name") ?? id ?? "", timeZone: table.timeZone("timezone"),
            git: table.strings("git") ?? [], github: table.string("github"), unixUser: table.string("unix_user"),
            slack: table.string("slack"), mattermost: table.string("mattermost"), discord: table.string("discord"))
        if let line = table.string("line") {
            person.line = line
            if !(line.count == 33 && line.hasPrefix("U") && line.dropFirst().allSatisfy(\.isHexDigit)) {
                table.error("line", "\"\(line)\" is not a LINE user id (U and 32 hex digits; the bot's webhook log shows it)")
            }
        }
        if let lark = table.string("lark") {
            person.lark = lark
            if !lark.hasPrefix("ou_") { table.error("lark", "\"\(lark)\" is not a Lark open_id (ou_…)") }
        }
        person.quietHours = quietHours(table)
        for (index, text) in (table.strings("notify") ?? []).enumerated() {
            guard let channel = Channel(parsing: text) else {
                table.error("notify", "notify[\(index)] \"\(text)\" is not TARGET:ADDRESS (e.g. \"mail:alice@example.org\", \"slack-bot:U0123ABC\")")
                continue
            }
            person.notify.append(channel)
        }
        personPaths.append(table.path)
        return person
    }

    private func readTeam(_ table: TableReader) -> Team? {
        defer { table.finish() }
        let id = identifier(table)
        let team = Team(
            id: id ?? "", name: table.string("name") ?? id ?? "", members: table.strings("members", required: true) ?? [],
            manager: table.string("manager"), targets: table.strings("targets") ?? [],
            managerTargets: table.strings("manager_targets") ?? [],
            escalateAfter: table.duration("escalate_after") ?? 5 * 86_400, timeZone: table.timeZone("timezone"),
            locale: locale(table, "locale"))
        var following = team
        following.followUpAfter = table.duration("follow_up_after")
        teamPaths.append(table.path)
        return following
    }

    private func readKPI(_ table: TableReader) -> KPI? {
        defer { table.finish() }
        let id = identifier(table)
        var kpi = KPI(
            id: id ?? "", team: table.string("team", required: true) ?? "", name: table.string("name") ?? id ?? "",
            role: table.choice("role", KPI.Role.self) ?? .core, kind: table.choice("kind", KPI.Kind.self),
            unit: table.string("unit"), direction: table.choice("direction", KPI.Direction.self),
            target: table.number("target", bounded: true), limit: table.number("limit", bounded: true),
            horizon: table.choice("horizon", KPI.Horizon.self), review: table.choice("review", KPI.Review.self),
            guardrails: table.strings("guardrails") ?? [])
        kpi.prometheus = table.string("prometheus")
        kpi.owner = table.string("owner")
        kpi.warnAt = table.number("warn_at", bounded: true)
        kpi.objective = table.string("objective")
        kpi.drives = table.strings("drives") ?? []
        for locale in Config.locales where locale != "en" {
            if let name = table.string("name_\(locale)") { kpi.localizedNames[locale] = name }
            if let unit = table.string("unit_\(locale)") { kpi.localizedUnits[locale] = unit }
        }
        if let by = table.string("by") {
            if let day = try? LocalDate(parsing: by) { kpi.by = day } else { table.error("by", "\"\(by)\" is not a date (2027-03-31)") }
        }
        kpi.query = table.string("query")
        if let url = kpi.prometheus, let problem = URLCheck.problem(url) { table.error("prometheus", problem) }
        if (kpi.prometheus == nil) != (kpi.query == nil) {
            table.error(kpi.query == nil ? "prometheus" : "query", "prometheus (the server) and query (PromQL) go together")
        }
        kpiPaths.append(table.path)
        kpiKeys.append(Set(table.table.keys))
        return kpi
    }

    private func readSource(_ table: TableReader) -> SourceConfig? {
        defer { table.finish() }
        let id = identifier(table) ?? ""
        guard let kind = table.choice("kind", SourceConfig.Kind.self, required: true) else {
            table.allow(table.table.keys)
            return nil
        }
        sourcePaths.append(table.path)
        var source = SourceConfig(id: id, kind: kind)
        source.mode = table.choice("mode", SourceConfig.Mode.self) ?? .draft
        source.teams = table.strings("teams") ?? []
        source.people = table.strings("people") ?? []
        if let timeout = table.duration("timeout", range: 1...3_600) { source.timeout = timeout }
        switch kind {
        case .journal:
            source.path = table.string("path", required: true)
        case .git:
            source.repos = table.strings("repos", required: true) ?? []
        case .github:
            source.repos = table.strings("repos", required: true) ?? []
            for (index, repo) in source.repos.enumerated() where repo.split(separator: "/").count != 2 {
                table.error("repos", "repos[\(index)] \"\(repo)\" is not owner/name")
            }
            if let base = table.string("base_url") {
                source.baseURL = base.hasSuffix("/") ? String(base.dropLast()) : base
                if let problem = URLCheck.problem(base) { table.error("base_url", problem) }
            }
            source.token = table.secret("token", required: true)
        case .command:
            source.command = table.strings("command", required: true) ?? []
            if source.command.first?.isEmpty ?? true, table.table["command"] != nil {
                table.error("command", "give the program and its arguments, e.g. [\"/usr/local/bin/deploys\", \"--json\"]")
            }
        }
        return source
    }

    private func readSchedule(_ table: TableReader) -> Schedule? {
        defer { table.finish() }
        let id = identifier(table)
        let team = table.string("team", required: true)
        var cron: CronExpression?
        if let text = table.string("cron", required: true) {
            do {
                cron = try CronExpression(text)
            } catch {
                table.error("cron", "\(error)")
            }
        }
        let schedule = Schedule(
            id: id ?? "", team: team ?? "", cron: cron ?? (try! CronExpression("@weekly")),
            timeZone: table.timeZone("timezone"), period: table.choice("period", Period.Kind.self) ?? .sinceLast,
            catchUp: table.duration("catch_up") ?? 7_200)
        var reminding = schedule
        reminding.remindBefore = table.duration("remind_before")
        reminding.remindAgain = table.duration("remind_again")
        if let again = reminding.remindAgain {
            if reminding.remindBefore == nil {
                table.error("remind_again", "needs remind_before (the first reminder)")
            } else if again >= reminding.remindBefore! {
                table.error("remind_again", "must be shorter than remind_before: it is the second, later reminder")
            }
        }
        schedulePaths.append(table.path)
        return reminding
    }

    private func readTarget(_ table: TableReader) -> Target? {
        defer { table.finish() }
        let id = identifier(table)
        guard let kind = table.choice("kind", Target.Kind.self, required: true) else {
            // Without a kind the other keys cannot be judged; do not report them as unknown.
            table.allow(table.table.keys)
            targetPaths.append(table.path)
            return Target(id: id ?? "", kind: .stdout, endpoint: .stdout)
        }
        let descriptor = kind.descriptor
        let keys = descriptor.keys
        var values = TargetValues()
        for key in keys.required + keys.optional {
            let required = keys.required.contains(key)
            if keys.secrets.contains(key) {
                if let secret = table.secret(key, required: required) { values.secrets[key] = secret }
            } else if keys.lists.contains(key) {
                if let list = table.strings(key, required: required) { values.lists[key] = list }
            } else if let value = table.string(key, required: required) {
                values.strings[key] = value
                if Self.urlKeys.contains(key), let problem = URLCheck.problem(value) { table.error(key, problem) }
            }
        }
        if case .plain(let url)? = values.secrets["url"], let problem = URLCheck.problem(url) { table.error("url", problem) }
        for (key, message) in descriptor.problems(values) { table.error(key, message) }
        var target = Target(id: id ?? "", kind: kind, endpoint: descriptor.endpoint(values))
        if let limit = table.integer("limit", range: 100...1_000_000) { target.limit = limit }
        target.rate = table.number("rate")
        target.timeout = table.durationSeconds("timeout")
        target.caFile = table.string("ca_file")
        target.mentions = table.bool("mentions") ?? false
        if target.mentions { table.warning("mentions", "not used yet: narrate never pings anyone, whatever this says") }
        target.maxAttempts = table.integer("retries", range: 1...100)
        target.maxAge = table.duration("give_up_after")
        if let value = table.table["rate"]?.double ?? table.table["rate"]?.int.map(Double.init), value <= 0 {
            table.error("rate", "must be greater than 0")
        }
        if let timeout = target.timeout, timeout <= 0 { table.error("timeout", "must be greater than 0") }
        targetPaths.append(table.path)
        return target
    }

    func quietHours(_ table: TableReader) -> QuietHours? {
        guard let text = table.string("quiet_hours") else { return nil }
        guard let hours = QuietHours(parsing: text) else {
            table.error("quiet_hours", "\"\(text)\" is not a range of hours such as \"22:00-08:00\"")
            return nil
        }
        return hours
    }

    /// Plain settings that hold a base URL.
    static let urlKeys: Set<String> = ["api", "homeserver", "site"]

    private func readHTTP(_ table: TableReader) -> HTTPSettings {
        defer { table.finish() }
        var settings = HTTPSettings()
        if let listen = table.string("listen") {
            settings.listen = listen
            if settings.hostAndPort == nil && !listen.hasPrefix("/") {
                table.error("listen", "\"\(listen)\" is neither host:port (e.g. \"127.0.0.1:8470\") nor an absolute socket path")
            }
        }
        if let socket = table.string("socket") {
            settings.socket = socket
            if !socket.hasPrefix("/") { table.error("socket", "must be an absolute path, e.g. \"/run/narrate/narrate.sock\"") }
        }
        if let url = table.string("public_url") {
            settings.publicURL = url.hasSuffix("/") ? String(url.dropLast()) : url
            if !(url.hasPrefix("https://") || url.hasPrefix("http://")) || URLComponents(string: url)?.host?.isEmpty != false {
                table.error("public_url", "\"\(url)\" is not an http(s) URL; write the address people reach narrate at, e.g. \"https://narrate.example.org\"")
            }
        }
        settings.slackSigningSecret = table.secret("slack_signing_secret")
        settings.mattermostToken = table.secret("mattermost_token")
        settings.lineChannelSecret = table.secret("line_channel_secret")
        settings.lineChannelToken = table.secret("line_channel_token")
        if let api = table.string("line_api") { settings.lineAPI = api.hasSuffix("/") ? String(api.dropLast()) : api }
        settings.larkVerificationToken = table.secret("lark_verification_token")
        if let key = table.string("discord_public_key") {
            settings.discordPublicKey = key
            if key.count != 64 || !key.allSatisfy(\.isHexDigit) {
                table.error("discord_public_key", "must be the 64 hex digits of the application's public key (Discord developer portal, General Information)")
            }
        }
        if let maxBody = table.integer("max_body", range: 1024...16_777_216) { settings.maxBody = maxBody }
        if let rate = table.integer("rate", range: 1...100_000) { settings.rate = rate }
        if let lifetime = table.duration("token_lifetime") { settings.tokenLifetime = lifetime }
        if let timeout = table.duration("request_timeout") {
            settings.requestTimeout = timeout
            if !(1...600).contains(timeout) { table.error("request_timeout", "must be between 1 second and 10 minutes") }
        }
        if let cap = table.integer("max_connections_per_address", range: 1...10_000) { settings.maxConnectionsPerAddress = cap }
        if let proxies = table.strings("trusted_proxies") {
            settings.trustedProxies = proxies
            for proxy in proxies where !Self.isIPAddress(proxy) {
                table.error("trusted_proxies", "\"\(proxy)\" is not an IP address; list each proxy's address as it connects (e.g. \"127.0.0.1\", \"::1\")")
            }
        }
        return settings
    }

    /// An IPv4 or IPv6 address as the check-in service sees a peer's.
    static func isIPAddress(_ text: String) -> Bool {
        var v4 = in_addr()
        var v6 = in6_addr()
        return inet_pton(AF_INET, text, &v4) == 1 || inet_pton(AF_INET6, text, &v6) == 1
    }

    /// Reads `id`, which every item needs, and checks its spelling.
    /// The characters an id may use (built once: a `CharacterSet` union costs more than the check).
    static let identifierCharacters = CharacterSet.lowercaseLetters.union(.decimalDigits).union(CharacterSet(charactersIn: "-_."))

    private func identifier(_ table: TableReader) -> String? {
        guard let id = table.string("id", required: true) else { return nil }
        let allowed = Self.identifierCharacters
        if id.unicodeScalars.contains(where: { !allowed.contains($0) }) || !(id.first?.isLetter ?? false) {
            table.error("id", "\"\(id)\" must start with a letter and use only lowercase letters, digits, '-', '_' and '.'")
        }
        return id
    }
}
