import Foundation
import Logging
import NarrateApp
import NarrateModel
import NarrateReport

/// The daemon's current context; a SIGHUP swaps the config (and its templates) only when the
/// new one is valid.
actor DaemonState {
    private(set) var context: AppContext
    let configPath: String

    init(context: AppContext, configPath: String) {
        self.context = context
        self.configPath = configPath
    }

    /// Validates the config file again; on errors logs them and keeps the running config.
    func reload(logger: Logger) -> Bool {
        let (config, diagnostics) = ConfigFile.check(path: configPath)
        let errors = diagnostics.filter { $0.severity == .error }
        guard errors.isEmpty, let config else {
            logger.error("reload refused: \(configPath) has \(errors.count) error(s); still running the previous config")
            for error in errors { logger.error("\(error)") }
            return false
        }
        let renderer: ReportRenderer
        do {
            renderer = try ConfigFile.renderer(for: config)
        } catch {
            logger.error("reload refused: \(error); still running the previous config")
            return false
        }
        for warning in diagnostics where warning.severity == .warning { logger.warning("\(warning)") }
        if config.stateDir != nil && config.stateDir != context.config.stateDir {
            logger.warning("state_dir changes take effect on restart; still using \(context.stateDir)")
        }
        context.secrets.prime(config)
        context = context.replacing(config: config, renderer: renderer)
        logger.notice("reloaded \(configPath): \(config.schedules.count) schedule(s)")
        return true
    }
}
