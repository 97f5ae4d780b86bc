import Foundation
import NarrateModel

/// Writes files so a reader sees the old content or the new, never half of either.
public enum AtomicFile {
    public static func write(_ text: String, to path: String) throws {
        let url = URL(fileURLWithPath: path)
        do {
            try FileManager.default.createDirectory(
                at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            // Foundation's atomic option writes a temporary file beside the target and renames it.
            try Data(text.utf8).write(to: url, options: .atomic)
        } catch {
            throw NarrateError(.unavailable, "cannot write \(path): \(error.localizedDescription)")
        }
    }
}
