import Foundation

/// Durations as users write them in config: `90s`, `30m`, `2h`, `5d`, `1w`, `1h30m`.
public enum DurationText {
    /// Parses a duration into seconds; nil when the text is not one.
    public static func seconds(_ text: String) -> Int? {
        let units: [Character: Int] = ["s": 1, "m": 60, "h": 3_600, "d": 86_400, "w": 604_800]
        var total = 0
        var digits = ""
        var sawUnit = false
        for character in text.trimmingCharacters(in: .whitespaces) {
            if character.isASCII, character.isNumber {
                digits.append(character)
            } else if let unit = units[character], let value = Int(digits) {
                // An absurd count of weeks is no duration, not a crash.
                let (product, overflow) = value.multipliedReportingOverflow(by: unit)
                let (sum, overflowAgain) = total.addingReportingOverflow(product)
                if overflow || overflowAgain { return nil }
                total = sum
                digits = ""
                sawUnit = true
            } else {
                return nil
            }
        }
        return digits.isEmpty && sawUnit ? total : nil
    }

    /// The shortest way to say a number of seconds in the same notation.
    public static func text(_ seconds: Int) -> String {
        if seconds % 86_400 == 0 { return "\(seconds / 86_400)d" }
        if seconds % 3_600 == 0 { return "\(seconds / 3_600)h" }
        if seconds % 60 == 0 { return "\(seconds / 60)m" }
        return "\(seconds)s"
    }
}
