import NarrateModel

/// Where key paths are written in a config text, for messages about them.
public struct ConfigLines: Sendable {
    let map: ConfigSourceMap

    public init(text: String) { map = ConfigSourceMap(text: text) }

    /// The line of `keyPath` (`target[2].url_env`), else 1.
    public func line(of keyPath: String) -> Int { map.line(of: keyPath) ?? 1 }
}
