import ArgumentParser
import Foundation
import Logging
import NarrateApp
import NarrateModel
import NarrateTargets
import NarrateConfig
import NarrateReport
import NarrateDelivery
import NarrateStore
import NarratePostgres
import Synchronization


/// Options every subcommand takes, and the composition root: the one place that reads the
/// environment and wires config, store, templates, secrets, clock and transport together.
struct GlobalOptions: ParsableArguments {
    @Option(help: "Config file (else $NARRATE_CONFIG, ./narrate.toml, /etc/narrate/narrate.toml).")
    var config: String?

    @Option(name: .customLong("state-dir"), help: "State directory (else $STATE_DIRECTORY, $XDG_STATE_HOME/narrate, ~/.local/state/narrate).")
    var stateDir: String?

    @Flag(help: "Log more.")
    var verbose = false

    @Flag(help: "Log only errors.")
    var quiet = false

    var wiring: Wiring { Wiring.current }

    var configPath: String {
        if let config { return config }
        if let env = wiring.environment["NARRATE_CONFIG"], !env.isEmpty { return env }
        if FileManager.default.fileExists(atPath: "narrate.toml") { return "narrate.toml" }
        if FileManager.default.fileExists(atPath: "/etc/narrate/narrate.toml") { return "/etc/narrate/narrate.toml" }
        return "narrate.toml"
    }

    var logger: Logger {
        let level: Logger.Level = verbose ? .debug : quiet ? .error : .notice
        let journal = wiring.environment["JOURNAL_STREAM"] != nil
        let redactor = wiring.redactor
        return Logger(label: "narrate") { _ in TerminalLogHandler(level: level, journal: journal, redactor: redactor) }
    }

    /// The config file, read and checked once per process: the socket lookup and the context
    /// of the same command share it.
    func loadConfig() throws -> (config: Config, warnings: [Diagnostic]) {
        let path = configPath
        if let loaded = Self.loaded.withLock({ $0[path] }) { return loaded }
        let loaded = try ConfigFile.load(path: path)
        Self.loaded.withLock { $0[path] = loaded }
        return loaded
    }

    /// Logs `warnings`, unless the same ones were logged before by a command on the store in
    /// `stateDir` (a hash of them is kept there): a dozen `log`s in a row repeated them each time.
    static func log(_ warnings: [Diagnostic], to logger: Logger, unlessShownIn stateDir: String?) {
        guard !warnings.isEmpty else { return }
        let text = warnings.map { "\($0)" }.joined(separator: "\n")
        let mark = stateDir.map { $0 + "/config-warnings" }
        let seen = AccessToken.hash(of: text)
        if let mark, (try? String(contentsOfFile: mark, encoding: .utf8)) == seen {
            logger.debug("the config's \(warnings.count) warning(s) were shown before; `narrate check` shows them")
            return
        }
        for warning in warnings { logger.warning("\(warning)") }
        if let mark { try? AtomicFile.write(seen, to: mark) }
    }

    private static let opened = Mutex<[(settings: StoreSettings, password: String?, store: PostgresStore)]>([])

    private static let loaded = Mutex<[String: (config: Config, warnings: [Diagnostic])]>([:])

    /// Loads the config, resolves the state dir, opens the store, reads every secret into the
    /// redactor and compiles the templates. The config's warnings go to the log the first time a
    /// command sees them (and every time with `everyWarning`, as the daemon's start does); `check`
    /// shows them always.
    ///
    /// `reading`: the command only reads, so a store that is not there is an error naming where
    /// it looked, not a new empty one (a mistyped `--state-dir` made one, and `history` said "no
    /// entries").
    func context(transport: any HTTPTransport = NoNetwork(), everyWarning: Bool = false, reading: Bool = false) async throws -> AppContext {
        let logger = self.logger
        let (config, warnings) = try loadConfig()
        let secrets = SecretResolver(environment: wiring.environment, redactor: wiring.redactor)
        secrets.prime(config)
        let stateDir = StateDirectory.resolve(flag: self.stateDir, config: config, environment: wiring.environment)
        let store = try await Self.openStore(config, stateDir: stateDir, secrets: secrets, reading: reading, logger: logger, configPath: configPath)
        Self.log(warnings, to: logger, unlessShownIn: everyWarning ? nil : stateDir)
        var policy = RetryPolicy()
        if let base = wiring.retryBase { policy.base = base }
        return AppContext(
            config: config, store: store, stateDir: stateDir, logger: logger, clock: wiring.clock, secrets: secrets,
            transport: transport, renderer: try ConfigFile.renderer(for: config), policy: policy,
            output: { Console.raw($0.hasSuffix("\n") ? $0 : $0 + "\n") })
    }

    /// The config's store: the PostgreSQL database of `[store]`, running in `StoreRunner` and
    /// checked to be reachable with the schema this build knows; else the SQLite file in the
    /// state directory.
    static func openStore(
        _ config: Config, stateDir: String, secrets: SecretResolver, reading: Bool, logger: Logger, configPath: String
    ) async throws -> any Storage {
        if let settings = config.store {
            let store = try await postgres(settings, secrets: secrets, logger: logger)
            try await store.requireCurrentSchema()
            logger.debug("opened store", metadata: ["url": "\(settings.displayURL)"])
            return store
        }
        if reading && !FileManager.default.fileExists(atPath: stateDir + "/" + SQLiteStore.fileName) {
            throw NarrateError(
                .notFound,
                "no store in \(stateDir): `narrate init` makes one there; --state-dir, or state_dir in \(configPath), names another")
        }
        let store = try SQLiteStore(directory: stateDir)
        logger.debug("opened store", metadata: ["path": "\(store.path)"])
        return store
    }

    /// The running store of `[store]`: one pool a database for the process, so a reload of an
    /// unchanged `[store]` keeps it.
    static func postgres(_ settings: StoreSettings, secrets: SecretResolver, logger: Logger) async throws -> PostgresStore {
        let password = try settings.password.map { try secrets.reveal($0) }
        let (store, isNew) = try opened.withLock { opened in
            if let kept = opened.first(where: { $0.settings == settings && $0.password == password }) { return (kept.store, false) }
            let store = try PostgresStore(settings: settings, password: password, logger: logger)
            opened.append((settings, password, store))
            return (store, true)
        }
        if isNew { await StoreRunner.shared.start(store) }
        return store
    }

    /// The person whose `unix_user` is `$USER`, if any.
    func user(_ config: Config) -> Person? {
        let user = wiring.environment["USER"] ?? wiring.environment["LOGNAME"] ?? ""
        return user.isEmpty ? nil : config.persons.first { $0.unixUser == user }
    }

    /// The person a command acts for: `--as`, else the one whose `unix_user` is `$USER`. One
    /// rule for every command, as over the socket: a person acts for someone else only as an
    /// admin; a shell that is no person of the config opens the store file itself and may act
    /// for anyone.
    func caller(_ context: AppContext, as id: String?) throws -> Caller {
        let config = context.config
        let me = user(config)
        let isAdmin = me.map(config.isAdmin) ?? false
        if let id {
            let person = try config.requirePerson(id)
            if let me, person.id != me.id, !isAdmin {
                throw NarrateError(.forbidden, "--as \(id) needs an admin ([narrate] admins); \(me.id) is not one")
            }
            return Caller(person: person, isAdmin: isAdmin)
        }
        if let me { return Caller(person: me, isAdmin: isAdmin) }
        let user = wiring.environment["USER"] ?? wiring.environment["LOGNAME"] ?? ""
        throw NarrateError(
            .invalidInput,
            "cannot tell who you are: no person has unix_user = \"\(user)\"; pass --as PERSON (known: \(config.persons.map(\.id).joined(separator: ", ")))"
        )
    }

    /// Who this shell is to the use cases: the person whose `unix_user` is `$USER`, else the
    /// Unix user itself, who opens the store file directly and so is trusted as its owner.
    func requester(_ context: AppContext) -> Requester {
        if let me = user(context.config) { return .person(context.config.caller(me)) }
        return .storeOwner(user: wiring.environment["USER"] ?? wiring.environment["LOGNAME"] ?? "")
    }

    /// A time typed on the command line, in `zone`.
    func time(_ text: String?, in zone: TimeZone) throws -> Date? {
        try text.map { try TimeText.parse($0, zone: zone, now: wiring.clock.now()) }
    }
}

/// The transport of commands that send nothing (all but `now` and `run`): libcurl and its TLS
/// library are not even initialised for them.
struct NoNetwork: HTTPTransport {
    func send(_ request: HTTPRequest) async throws -> HTTPResponse {
        throw NarrateError(.internal, "this command does not send anything")
    }
}
