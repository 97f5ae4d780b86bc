import Foundation
import NarrateConfig
import NarrateModel
import NarrateStore
#if canImport(Glibc)
import Glibc
#endif

/// `narrate doctor`: what is wrong with an installation, each finding with what to do about it.
/// It reads; it changes nothing.
public struct Doctor: Sendable {
    public struct Finding: Sendable, Equatable, Codable {
        public enum Level: String, Sendable, Codable { case ok, warning, problem }
        public var level: Level
        public var area: String
        public var message: String
        /// What to do about it (nil when there is nothing to do).
        public var fix: String?

        public init(_ level: Level, _ area: String, _ message: String, fix: String? = nil) {
            self.level = level
            self.area = area
            self.message = message
            self.fix = fix
        }
    }

    /// What the daemon's socket answered, as the command found it.
    public enum DaemonAnswer: Sendable {
        case running(detail: String)
        case notRunning(socket: String)
        case failing(socket: String, error: String)
    }

    let context: AppContext

    /// The findings about the store, the secrets, the daemon, each schedule's last slot and the
    /// targets, in that order.
    public func examine(secretProblems: [(target: String, problem: String)], daemon: DaemonAnswer) async -> [Finding] {
        var findings: [Finding] = []
        findings += secrets(secretProblems)
        findings += store()
        findings += clock()
        switch daemon {
        case .running(let detail):
            findings.append(Finding(.ok, "daemon", detail))
        case .notRunning(let socket):
            findings.append(Finding(
                .warning, "daemon", "no daemon answers on \(socket)",
                fix: "start it (systemctl enable --now narrate), or check `systemctl status narrate` and `journalctl -u narrate`"))
        case .failing(let socket, let error):
            findings.append(Finding(.problem, "daemon", "the daemon on \(socket) answered: \(error)", fix: "journalctl -u narrate tells why"))
        }
        do {
            findings += try await schedules()
            findings += try await targets()
        } catch {
            findings.append(Finding(.problem, "store", "cannot read the store: \(error)"))
        }
        return findings
    }

    func secrets(_ problems: [(target: String, problem: String)]) -> [Finding] {
        guard !problems.isEmpty else {
            return [Finding(.ok, "secrets", "every target's secret can be read by \(Self.userName())")]
        }
        return problems.map { target, problem in
            Finding(
                .problem, "secrets", "target \(target): \(problem)",
                fix: "the service reads it as its own user: set the variable in the unit (Environment=, LoadCredential=) or make the file readable to it")
        }
    }

    func store() -> [Finding] {
        let location = context.store.location
        guard location.hasPrefix("/") else { return [Finding(.ok, "store", "the database \(location) answers")] }
        var findings = [Finding(.ok, "store", "the store \(location) opens")]
        var info = stat()
        let directory = (location as NSString).deletingLastPathComponent
        if stat(directory, &info) == 0, info.st_mode & 0o077 != 0 {
            findings.append(Finding(
                .warning, "store", "the state directory \(directory) can be read by others (mode \(String(info.st_mode & 0o777, radix: 8)))",
                fix: "chmod 700 \(directory): the store holds every check-in and each person's mood"))
        }
        findings += owners(of: location, in: directory)
        return findings
    }

    /// The store's files belong to the state directory's owner, the user the service runs as: a
    /// file another user made (a command run as root on the server's store) is one the service
    /// cannot write, and every write it tries fails.
    func owners(of location: String, in directory: String) -> [Finding] {
        var info = stat()
        guard stat(directory, &info) == 0 else { return [] }
        let owner = info.st_uid
        var strangers: [(String, uid_t)] = []
        for suffix in ["", "-wal", "-shm", ".lock"] {
            let path = location + suffix
            if stat(path, &info) == 0, info.st_uid != owner { strangers.append((path, info.st_uid)) }
        }
        guard !strangers.isEmpty else { return [] }
        let name = Self.userName(owner)
        return strangers.map { path, uid in
            Finding(
                .problem, "store", "\(path) belongs to \(Self.userName(uid)), the state directory to \(name): \(name) cannot write it",
                fix: "chown \(name): \(path), and run commands on this store as \(name) (sudo -u \(name) narrate …)")
        }
    }

    /// Slots fire by the system clock in the zones the tz database describes: its version, and
    /// whether systemd-timesyncd says the clock is synchronised.
    func clock(zoneinfo: String = "/usr/share/zoneinfo", synchronised: String = "/run/systemd/timesync/synchronized") -> [Finding] {
        var findings: [Finding] = []
        let zones = Set(context.config.teams.map { context.config.zone(of: $0).identifier } + [context.config.timeZone]).sorted()
        if let data = FileManager.default.contents(atPath: zoneinfo + "/tzdata.zi"),
            let first = String(decoding: data.prefix(64), as: UTF8.self).split(separator: "\n").first, first.hasPrefix("# version ")
        {
            findings.append(Finding(.ok, "clock", "time zone data \(first.dropFirst("# version ".count)) for \(zones.joined(separator: ", "))"))
        } else {
            findings.append(Finding(
                .warning, "clock", "no time zone data found in \(zoneinfo); zones fall back to what the runtime carries",
                fix: "apt install tzdata"))
        }
        if FileManager.default.fileExists(atPath: synchronised) {
            findings.append(Finding(.ok, "clock", "the system clock is synchronised (systemd-timesyncd)"))
        } else {
            findings.append(Finding(
                .warning, "clock", "cannot tell whether the system clock is synchronised; slots fire by it",
                fix: "timedatectl status shows it; enable systemd-timesyncd or chrony"))
        }
        return findings
    }

    func schedules() async throws -> [Finding] {
        var findings: [Finding] = []
        let now = context.clock.now()
        for schedule in context.config.schedules {
            let zone = context.config.zone(of: schedule)
            let next = CronSchedule(cron: schedule.cron, zone: zone).next(after: now).first.map { TimeText.iso($0, in: zone) } ?? "never"
            guard let last = try await context.store.lastRun(schedule: schedule.id) else {
                findings.append(Finding(.ok, "schedules", "\(schedule.id): no slot run yet; next \(next)"))
                continue
            }
            let when = TimeText.iso(last.slot, in: zone)
            switch last.state {
            case .failed:
                findings.append(Finding(
                    .problem, "schedules", "\(schedule.id): the slot of \(when) failed: \(last.detail ?? "no detail")",
                    fix: "`narrate now --schedule \(schedule.id)` runs it again once the cause is fixed"))
            default:
                findings.append(Finding(.ok, "schedules", "\(schedule.id): last slot \(when) \(last.state.rawValue); next \(next)"))
            }
        }
        return findings
    }

    func targets() async throws -> [Finding] {
        let parked = try await context.store.deliveries(reports: nil, states: [.parked])
        let backlog = try await context.store.outboxBacklog()
        var findings: [Finding] = []
        for (target, parts) in Dictionary(grouping: parked, by: \.target).sorted(by: { $0.key < $1.key }) {
            let error = parts.last?.lastError ?? "no error recorded"
            findings.append(Finding(
                .problem, "targets", "\(target): \(Words.count(parts.count, "part")) parked; the last error: \(error)",
                fix: "fix the target (its URL, token or channel), then `narrate retry --all-parked`"))
        }
        if let oldest = backlog.oldest, context.clock.now().timeIntervalSince(oldest) > 3_600 {
            findings.append(Finding(
                .warning, "targets", "\(Words.count(backlog.count, "part")) waiting to be sent, the oldest since \(TimeText.iso(oldest, in: Config.zone(context.config.timeZone)))",
                fix: "is the daemon running? `narrate deliveries` lists them"))
        }
        if findings.isEmpty { findings.append(Finding(.ok, "targets", "no part parked or overdue")) }
        return findings
    }

    static func userName(_ uid: uid_t = geteuid()) -> String {
        guard let entry = getpwuid(uid), let name = entry.pointee.pw_name else { return "uid \(uid)" }
        return String(cString: name)
    }
}
