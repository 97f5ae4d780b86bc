import NarrateModel
/// Traditional Chinese typography: a space between Chinese characters and Latin letters
/// ("但 Change failure rate 超過上限", not "但Change failure rate超過上限"). Digits and
/// punctuation are left as they are, so dates read 2026年11月16日.
enum CJKSpacing {
    static func apply(_ text: String) -> String {
        var result = String.UnicodeScalarView()
        var previous: Unicode.Scalar?
        for scalar in text.unicodeScalars {
            if let previous, (isHan(previous) && isLatinLetter(scalar)) || (isLatinLetter(previous) && isHan(scalar)) {
                result.append(" ")
            }
            result.append(scalar)
            previous = scalar
        }
        return String(result)
    }

    static func isLatinLetter(_ scalar: Unicode.Scalar) -> Bool {
        (scalar >= "A" && scalar <= "Z") || (scalar >= "a" && scalar <= "z")
    }

    /// Han ideographs and kana, not the full-width punctuation around them.
    static func isHan(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x3040...0x30FF, 0x3400...0x4DBF, 0x4E00...0x9FFF, 0xF900...0xFAFF, 0x20000...0x2FA1F: true
        default: false
        }
    }
}
