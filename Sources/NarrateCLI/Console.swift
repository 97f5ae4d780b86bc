import Foundation
#if canImport(Glibc)
import Glibc
#endif
import NarrateModel
import NarrateTargets
import NarrateConfig
import NarrateReport

/// Everything narrate prints goes through here, and through the redactor on its way out.
enum Console {
    static var redactor: Redactor { Wiring.current.redactor }

    /// A line (or text ending in a newline) on stdout.
    static func out(_ text: String) {
        let clean = redactor.redact(text)
        write(clean.hasSuffix("\n") ? clean : clean + "\n", to: STDOUT_FILENO)
    }

    /// Text on stdout exactly as given (a report that ends with its own newline).
    static func raw(_ text: String) {
        write(redactor.redact(text), to: STDOUT_FILENO)
    }

    static func err(_ text: String) {
        let clean = redactor.redact(text)
        write(clean.hasSuffix("\n") ? clean : clean + "\n", to: STDERR_FILENO)
    }

    /// Writes all of `text`. A reader that went away (`narrate history | head`) ends narrate as
    /// it ends any Unix tool, by SIGPIPE: the process ignores the signal (SwiftNIO does), and
    /// Foundation's `FileHandle.write` traps on the error with a crash report instead.
    static func write(_ text: String, to descriptor: Int32) {
        var bytes = Array(text.utf8)[...]
        while !bytes.isEmpty {
            let written = bytes.withUnsafeBytes { Glibc.write(descriptor, $0.baseAddress, $0.count) }
            if written < 0 {
                if errno == EINTR { continue }
                if errno == EPIPE {
                    signal(SIGPIPE, SIG_DFL)
                    raise(SIGPIPE)
                }
                return
            }
            bytes = bytes.dropFirst(written)
        }
    }

    /// A value as pretty JSON with sorted keys: the one encoder of every `--json` output.
    static func json(_ value: some Encodable) throws {
        out(JSONOutput.text(try JSONOutput.encoder.encode(value)))
    }
}

/// The shape of `--json` output: pretty, sorted keys, unescaped slashes, ISO 8601 dates with offset.
enum JSONOutput {
    /// The encoded text, an empty list or object as `[]` / `{}` (Foundation's pretty printer
    /// writes them over three lines). A string in JSON holds no raw newline, so only these match.
    static func text(_ data: Data) -> String {
        String(decoding: data, as: UTF8.self).replacing(/\[\n\n *\]/, with: "[]").replacing(/\{\n\n *\}/, with: "{}")
    }

    static var encoder: JSONEncoder {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        // The API's key style (`closed_at`), so a script reads the CLI and the API alike.
        encoder.keyEncodingStrategy = .convertToSnakeCase
        encoder.dateEncodingStrategy = .custom { date, encoder in
            var container = encoder.singleValueContainer()
            try container.encode(TimeText.iso(date, in: .current))
        }
        return encoder
    }
}
