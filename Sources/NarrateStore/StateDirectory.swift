import Foundation
import NarrateModel

/// Where narrate keeps its store and reports.
public enum StateDirectory {
    /// `--state-dir` > `$STATE_DIRECTORY` (systemd) > `$XDG_STATE_HOME/narrate` > `~/.local/state/narrate`.
    public static func resolve(
        flag: String?, config: Config? = nil, environment: [String: String]
    ) -> String {
        if let flag, !flag.isEmpty { return flag }
        if let systemd = environment["STATE_DIRECTORY"], !systemd.isEmpty {
            // systemd may pass several colon-separated directories; the first is ours.
            return String(systemd.split(separator: ":").first ?? Substring(systemd))
        }
        if let configured = config?.stateDir { return expandingHome(configured, environment) }
        if let xdg = environment["XDG_STATE_HOME"], !xdg.isEmpty { return xdg + "/narrate" }
        let home = environment["HOME"] ?? NSHomeDirectory()
        return home + "/.local/state/narrate"
    }

    static func expandingHome(_ path: String, _ environment: [String: String]) -> String {
        guard path.hasPrefix("~/") else { return path }
        return (environment["HOME"] ?? NSHomeDirectory()) + path.dropFirst(1)
    }

    /// Creates the directory (and parents) with owner-only permissions if it is missing.
    public static func create(_ path: String) throws {
        do {
            try FileManager.default.createDirectory(
                atPath: path, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        } catch {
            throw NarrateError(.unavailable, "cannot create state directory \(path): \(error.localizedDescription)")
        }
    }
}
