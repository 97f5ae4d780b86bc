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
    /// Writes the example config to `configPath` and creates the store in `stateDir`. A state dir
    /// the user chose (`recorded`) is written into the config, so the next command without
    /// `--state-dir` finds the same store (it wrote to the default one and printed `P-1` again).
    public static func initialize(configPath: String, stateDir: String, overwrite: Bool, recorded: Bool = false) throws -> Result {
        if FileManager.default.fileExists(atPath: configPath) && !overwrite {
            throw NarrateError(.conflict, "\(configPath) already exists; pass --force to overwrite it, or --config to write elsewhere")
        }
        var text = ExampleConfig.text
        if recorded {
            let absolute = stateDir.hasPrefix("/") ? stateDir : FileManager.default.currentDirectoryPath + "/" + stateDir
            let escaped = absolute.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"")
            text = text.replacingOccurrences(
                of: #"# state_dir = "/var/lib/narrate"  # default:"#, with: "state_dir = \"\(escaped)\"  # written by narrate init; default:")
        }
        try AtomicFile.write(text + "\n", to: configPath)
        _ = try SQLiteStore(directory: stateDir)
        return Result(configPath: configPath, stateDir: stateDir)
    }
}
