import Foundation
import Logging

/// A loaded config and its open store: what every command that reads or writes entries needs.
public struct Workspace: Sendable {
    public let config: Config
    public let store: Store
    public let stateDir: String
    public let logger: Logger

    public init(config: Config, store: Store, stateDir: String, logger: Logger) {
        self.config = config
        self.store = store
        self.stateDir = stateDir
        self.logger = logger
    }

    /// Loads the config (warnings go to the log), resolves the state dir and opens the store.
    public static func open(configPath: String, stateDirFlag: String?, logger: Logger) throws -> Workspace {
        let (config, warnings) = try Config.load(path: configPath)
        for warning in warnings { logger.warning("\(warning)") }
        let stateDir = StateDirectory.resolve(flag: stateDirFlag, config: config)
        let store = try Store(directory: stateDir)
        logger.debug("opened store", metadata: ["path": "\(store.path)"])
        return Workspace(config: config, store: store, stateDir: stateDir, logger: logger)
    }

    /// The person a command acts for: `--as`, else the one whose `unix_user` is `$USER`.
    public func person(as id: String?, environment: [String: String] = ProcessInfo.processInfo.environment) throws
        -> Person
    {
        if let id { return try config.requirePerson(id) }
        let user = environment["USER"] ?? environment["LOGNAME"] ?? ""
        if let person = config.persons.first(where: { $0.unixUser == user && !user.isEmpty }) { return person }
        throw NarrateError(
            "cannot tell who you are: no person has unix_user = \"\(user)\"; pass --as PERSON (known: \(config.persons.map(\.id).joined(separator: ", ")))"
        )
    }
}
