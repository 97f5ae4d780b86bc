import NarrateModel
import NarrateTOML
import NarrateTargets
import Foundation
import NarrateModel

extension Config {
    /// Validates config text; `file` is only used in messages and to place `templates_dir`.
    /// `isDirectory` answers whether a path names a directory (the caller does the I/O).
    public static func parse(
        text: String, file: String, isDirectory: @escaping (String) -> Bool = { _ in true }
    ) -> (config: Config?, diagnostics: [Diagnostic]) {
        let loader = ConfigLoader(text: text, file: file, isDirectory: isDirectory)
        let config = loader.load()
        let sorted = loader.sink.diagnostics.enumerated().sorted {
            ($0.element.line, $0.offset) < ($1.element.line, $1.offset)
        }.map(\.element)
        return (config, sorted)
    }
}
