import Foundation
import Testing
@testable import NarrateModel
@testable import NarrateTOML
@testable import NarrateConfig
@testable import NarrateReport
@testable import NarrateTargets
@testable import NarratePlatform

/// The integer fast path for times with their offset reads exactly what Foundation's ISO 8601
/// formatter reads, and leaves every other text to the general parser.
@Suite struct TimeTextTests {
    @Test func offsetTimesAgreeWithFoundation() throws {
        var random = SeededRandom(seed: 23)
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime]
        for _ in 0..<3_000 {
            let year = Int.random(in: 1970...2199, using: &random), month = Int.random(in: 1...12, using: &random)
            let day = Int.random(in: 1...LocalDate.days(inMonth: month, year: year), using: &random)
            let (hour, minute, second) = (Int.random(in: 0...23, using: &random), Int.random(in: 0...59, using: &random), Int.random(in: 0...59, using: &random))
            let offsetMinutes = Int.random(in: -14 * 60...14 * 60, using: &random)
            let sign = offsetMinutes < 0 ? "-" : "+"
            let offset = Bool.random(using: &random) && offsetMinutes == 0 ? "Z"
                : String(format: "%@%02d:%02d", sign, abs(offsetMinutes) / 60, abs(offsetMinutes) % 60)
            let text = String(format: "%04d-%02d-%02dT%02d:%02d:%02d", year, month, day, hour, minute, second) + offset
            #expect(try TimeText.offsetTime(text) == formatter.date(from: text), "\(text)")
            let noSeconds = String(format: "%04d-%02d-%02d %02d:%02d", year, month, day, hour, minute) + offset
            #expect(try TimeText.offsetTime(noSeconds) == formatter.date(from: text.replacingOccurrences(of: String(format: ":%02d", second) + offset, with: ":00" + offset)), "\(noSeconds)")
        }
        // Not this shape: left to the general parser and its messages.
        for text in ["2026-11-20T09:30", "2026-11-20", "now", "2026-11-20T09:30+8:00", "2026-11-20T09:30+08:00x", "２０２６-11-20T09:30Z"] {
            #expect(try TimeText.offsetTime(text) == nil, "\(text)")
        }
        // Of this shape but no real day or time: refused, where the formatter read 30 February as 2 March.
        for text in ["2026-02-30T10:00+08:00", "2026-11-20T24:00Z", "2026-13-01T10:00Z"] {
            #expect(throws: NarrateError.self, "\(text)") { try TimeText.parse(text, zone: .gmt, now: Date()) }
        }
    }
}
