import NarrateModel
import NarrateTOML
import NarrateTargets
/// The line of each key path in a config text (`team[1].members[0]`), so validation errors
/// can point at it. The TOML parser records them as it reads.
package struct ConfigSourceMap: Sendable {
    let lines: [String: Int]

    /// The lines of a text's key paths, as far as it parses.
    package init(text: String) { lines = TOMLParser.parse(text).lines }

    /// The line of a key path, falling back to its parents (`team[0].members[2]` → `team[0].members` → `team[0]`).
    package func line(of path: String) -> Int? {
        var path = path
        while true {
            if let line = lines[path] { return line }
            if path.hasSuffix("]"), let open = path.lastIndex(of: "[") {
                path = String(path[..<open])
            } else if let dot = path.lastIndex(of: ".") {
                path = String(path[..<dot])
            } else {
                return nil
            }
        }
    }
}
