/// What narrate accepts as the text of an entry or a note.
public enum TextRules {
    public static let maximumLength = 2_000

    /// Returns the text trimmed, or throws a message saying what is wrong with it.
    public static func validated(_ raw: String, what: String = "text") throws -> String {
        let text = raw.trimmingCharacters(in: .whitespaces)
        if text.isEmpty {
            throw NarrateError(.invalidInput, "\(what) is empty: write what happened, e.g. narrate log progress \"migrated the billing job\"")
        }
        let count = text.count
        if count > maximumLength {
            throw NarrateError(.invalidInput, "\(what) is \(count) characters long; at most \(maximumLength) are allowed")
        }
        for (offset, scalar) in text.unicodeScalars.enumerated() where isForbidden(scalar) {
            let code = String(scalar.value, radix: 16, uppercase: true)
            let padded = String(repeating: "0", count: max(0, 4 - code.count)) + code
            throw NarrateError(.invalidInput, "\(what) contains the control character U+\(padded) at position \(offset + 1); use plain one-line text")
        }
        return text
    }

    /// C0/C1 controls (newlines and tabs included: an entry is one line) and the
    /// bidirectional overrides that could make a report read differently from what was stored.
    static func isForbidden(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x00...0x1F, 0x7F...0x9F: return true
        case 0x202A...0x202E, 0x2066...0x2069: return true
        default: return false
        }
    }
}

import Foundation
