import Foundation
import Testing
@testable import NarrateApp
@testable import NarrateModel
@testable import NarrateTOML
@testable import NarrateConfig
@testable import NarrateReport
@testable import NarrateTargets
@testable import NarratePlatform
@testable import NarrateDelivery
@testable import NarrateStore

@Suite struct MetricCSVTests {
    let config = Config.parse(text: ExampleConfig.text, file: "n.toml").config!

    @Test func parsesRowsWithQuotesAndZones() throws {
        let csv = "kpi,value,at\r\nlead-time,26.5,2026-11-20T09:00+08:00\n\"lead-time\",\"30\",2026-11-21 09:00\n\n"
        let readings = try MetricCSV.parse(csv, file: "m.csv", config: config, now: Date())
        #expect(readings.map(\.value) == [26.5, 30])
        // The second time has no offset: it is read in the team's zone (Asia/Taipei, +08:00).
        #expect(readings[0].at.timeIntervalSince1970 + 86_400 == readings[1].at.timeIntervalSince1970)
    }

    @Test func everyBadRowIsReportedWithItsLine() {
        let csv = """
            kpi,value,at
            lead-time,26,2026-11-20
            lead-tme,3,2026-11-20
            lead-time,fast,2026-11-20
            lead-time,3,someday
            lead-time,3
            """
        #expect {
            try MetricCSV.parse(csv, file: "m.csv", config: config, now: Date())
        } throws: { error in
            let lines = "\(error)".split(separator: "\n").map(String.init)
            return lines.count == 5 && lines[0] == #"m.csv:3: unknown KPI "lead-tme""#
                && lines[1] == #"m.csv:4: "fast" is not a number"# && lines[2].hasPrefix(#"m.csv:5: "someday" is not a time"#)
                && lines[3] == "m.csv:6: expected 3 fields, found 2"
                && lines[4] == "nothing was imported from m.csv (4 bad rows)"
        }
    }

    @Test func wrongHeaderIsRefused() {
        #expect(throws: NarrateError(.invalidInput, "m.csv:1: the header must be kpi,value,at (found metric,value)")) {
            try MetricCSV.parse("metric,value\nx,1\n", file: "m.csv", config: config, now: Date())
        }
    }
}
