import Foundation
import NarrateModel
import NarrateConfig
import NarrateReport
import NarrateTargets
import NarrateStore

/// `narrate init`: an example config and a state directory.
public enum Setup {
    public struct Result: Sendable {
        public var configPath: String
        public var stateDir: String
    }

    /// Writes the example config to `configPath` and creates the store in `stateDir`.
    public static func initialize(configPath: String, stateDir: String, overwrite: Bool) throws -> Result {
        if FileManager.default.fileExists(atPath: configPath) && !overwrite {
            throw NarrateError(.conflict, "\(configPath) already exists; pass --force to overwrite it, or --config to write elsewhere")
        }
        try AtomicFile.write(ExampleConfig.text + "\n", to: configPath)
        _ = try SQLiteStore(directory: stateDir)
        return Result(configPath: configPath, stateDir: stateDir)
    }
}
