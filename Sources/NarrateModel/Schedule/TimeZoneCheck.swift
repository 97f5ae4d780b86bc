import Foundation

/// IANA zone names: the only ones portable between machines.
public enum TimeZoneCheck {
    /// The zone an IANA name names, or an error that says it is not one.
    public static func zone(_ identifier: String) throws -> TimeZone {
        guard isValid(identifier), let zone = TimeZone(identifier: identifier) else {
            throw NarrateError(.invalidInput, "\"\(identifier)\" is not an IANA time zone")
        }
        return zone
    }

    public static func isValid(_ identifier: String) -> Bool {
        // Foundation accepts abbreviations and offsets like "GMT+8"; only IANA names are portable.
        guard TimeZone(identifier: identifier) != nil else { return false }
        return identifier == "UTC" || identifier.contains("/") || TimeZone.knownTimeZoneIdentifiers.contains(identifier)
    }
}
