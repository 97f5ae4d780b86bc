import Foundation

/// `narrate init`: an example config and a state directory.
public enum Setup {
    public struct Result: Sendable {
        public var configPath: String
        public var stateDir: String
    }

    public static func initialize(configPath: String, stateDirFlag: String?, overwrite: Bool) throws -> Result {
        if FileManager.default.fileExists(atPath: configPath) && !overwrite {
            throw NarrateError("\(configPath) already exists; pass --force to overwrite it, or --config to write elsewhere")
        }
        try AtomicFile.write(ExampleConfig.text + "\n", to: configPath)
        let stateDir = StateDirectory.resolve(flag: stateDirFlag)
        _ = try Store(directory: stateDir)
        return Result(configPath: configPath, stateDir: stateDir)
    }
}
