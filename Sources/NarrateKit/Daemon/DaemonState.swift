import Foundation
import Logging

/// The daemon's current workspace; a SIGHUP swaps the config only when the new one is valid.
actor DaemonState {
    private(set) var workspace: Workspace
    let configPath: String

    init(workspace: Workspace, configPath: String) {
        self.workspace = workspace
        self.configPath = configPath
    }

    /// Validates the config file again; on errors logs them and keeps the running config.
    func reload(logger: Logger) -> Bool {
        let (config, diagnostics) = Config.check(path: configPath)
        let errors = diagnostics.filter { $0.severity == .error }
        guard errors.isEmpty, let config else {
            logger.error("reload refused: \(configPath) has \(errors.count) error(s); still running the previous config")
            for error in errors { logger.error("\(error)") }
            return false
        }
        for warning in diagnostics where warning.severity == .warning { logger.warning("\(warning)") }
        let stateDir = StateDirectory.resolve(flag: nil, config: config)
        if config.stateDir != nil && stateDir != workspace.stateDir {
            logger.warning("state_dir changes take effect on restart; still using \(workspace.stateDir)")
        }
        workspace = Workspace(config: config, store: workspace.store, stateDir: workspace.stateDir, logger: workspace.logger)
        logger.notice("reloaded \(configPath): \(config.schedules.count) schedule(s)")
        return true
    }
}
