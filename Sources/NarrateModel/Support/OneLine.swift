import Foundation

/// Text from elsewhere (a platform's error body, curl's message) as one short line.
public enum OneLine {
    /// One line, at most 300 characters, for logs and `narrate deliveries`.
    public static func clean(_ text: String) -> String {
        let line = String(text.unicodeScalars.map { CharacterSet.controlCharacters.contains($0) ? " " : Character($0) })
            .trimmingCharacters(in: .whitespaces)
        return line.count > 300 ? String(line.prefix(300)) + "…" : line
    }
}
