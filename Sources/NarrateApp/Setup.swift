import Foundation
import NarrateModel
import NarrateConfig
import NarrateReport
import NarrateTargets
import NarrateStore
import NarrateDelivery
import NarratePlatform

/// `narrate init`: an example config and a state directory.
public enum Setup {
    public struct Result: Sendable {
        public var configPath: String
        public var stateDir: String
    }

    /// Writes the example config to `configPath` and creates the store in `stateDir`. A state dir
    /// the user chose (`recorded`) is written into the config, so the next command without
    /// `--state-dir` finds the same store (it wrote to the default one and printed `P-1` again).
    public static func initialize(configPath: String, stateDir: String, overwrite: Bool, recorded: Bool = false) throws -> Result {
        try refuseOverwriting(configPath, unless: overwrite)
        var text = ExampleConfig.text
        if recorded {
            text = text.replacingOccurrences(
                of: #"# state_dir = "/var/lib/narrate"  # default:"#,
                with: "state_dir = \(FirstConfig.quoted(absolute(stateDir)))  # written by narrate init; default:")
        }
        try AtomicFile.write(text + "\n", to: configPath)
        _ = try SQLiteStore(directory: stateDir)
        return Result(configPath: configPath, stateDir: stateDir)
    }
}

extension Setup {
    /// The system user the packaged service runs as: the owner of a secret `init` writes as root.
    public static let serviceUser = "narrate"

    /// Writes the config made of `first`'s answers to `configPath` and its webhook URL to
    /// `credentials/<target>` beside it, mode 0600, and creates the store in `stateDir` when
    /// given (as `initialize` does; a packaged service's store is made by the service itself).
    /// Run as root where the package made the `narrate` user, the secret is that user's and the
    /// config is readable by its group: the service reads both as that user.
    public static func write(
        _ first: FirstConfig, configPath: String, stateDir: String?, recordStateDir: Bool, overwrite: Bool
    ) throws -> (config: String, credentials: String?) {
        try refuseOverwriting(configPath, unless: overwrite)
        let directory = (absolute(configPath) as NSString).deletingLastPathComponent
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let service = getuid() == 0 ? getpwnam(serviceUser).map { ($0.pointee.pw_uid, $0.pointee.pw_gid) } : nil
        var credentials: String?
        if let chat = first.chat {
            let folder = directory + "/credentials"
            let path = folder + "/" + first.chatID
            try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
            try SecretFile.write(chat.url + "\n", to: path)
            if let (uid, gid) = service {
                // The directory root's and the group's to enter; the file the service user's.
                chown(folder, 0, gid)
                chmod(folder, 0o750)
                chown(path, uid, gid)
            }
            credentials = path
        }
        let recorded = recordStateDir ? stateDir.map(absolute) : nil
        try AtomicFile.write(first.text(credentialsFile: credentials, stateDir: recorded), to: configPath)
        if let (_, gid) = service {
            chown(configPath, 0, gid)
            chmod(configPath, 0o640)
        }
        if let stateDir { _ = try SQLiteStore(directory: stateDir) }
        return (configPath, credentials)
    }

    /// An existing config is kept unless the user said `--force`: checked before `init` asks
    /// anything, and again where it writes.
    public static func refuseOverwriting(_ configPath: String, unless overwrite: Bool) throws {
        if FileManager.default.fileExists(atPath: configPath) && !overwrite {
            throw NarrateError(.conflict, "\(configPath) already exists; pass --force to overwrite it, or --config to write elsewhere")
        }
    }

    static func absolute(_ path: String) -> String {
        path.hasPrefix("/") ? path : FileManager.default.currentDirectoryPath + "/" + path
    }

    /// Posts `first`'s test message to its chat target as the config at `configPath` describes
    /// it, outside the outbox: nothing is recorded. Returns nil when it was accepted, else the
    /// target's words.
    public static func sendTestMessage(
        _ first: FirstConfig, configPath: String, transport: any HTTPTransport, secrets: SecretResolver, clock: any WallClock
    ) async throws -> String? {
        let (config, _) = try ConfigFile.load(path: configPath)
        let target = try config.requireTarget(first.chatID)
        let body = MessageFormatter(dialect: target.descriptor.dialect, limit: target.limit).parts(first.testMessage).first ?? first.testMessage
        let now = clock.now()
        let report = ReportRecord(team: first.teamID, schedule: nil, periodStart: now, periodEnd: now, markdown: first.testMessage, createdAt: now, kind: "test")
        let delivery = Delivery(report: 0, target: target.id, kind: target.kind.rawValue, part: 1, parts: 1, body: body, nextAttemptAt: now, createdAt: now)
        let context = DeliveryContext(
            report: report, now: now, stateDir: FileManager.default.temporaryDirectory.path, zone: config.zone(ofTeam: first.teamID),
            reveal: { try secrets.reveal($0) }, protect: { secrets.redactor.register($0) })
        let action = try target.descriptor.action(for: delivery, to: target, context: context)
        switch await Courier.perform(action, for: delivery, to: target, transport: transport, now: { clock.now() }, output: { _ in }) {
        case .sent: return nil
        case .retry(_, let error), .park(let error), .reroute(_, let error): return secrets.redactor.redact(error)
        }
    }
}
