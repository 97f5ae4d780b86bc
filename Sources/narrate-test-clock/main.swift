import Foundation
import NarrateCLI
import NarrateModel
import NarratePlatform

// A test-only entry point, never installed: the narrate command line with a clock that starts
// at NARRATE_TEST_CLOCK_START (ISO 8601) and runs NARRATE_TEST_CLOCK_RATE times faster, and a
// delivery retry base of NARRATE_TEST_RETRY_BASE seconds. Process tests use it to reach a cron
// slot or a DST change in seconds; the `narrate` executable reads none of these variables.
let environment = ProcessInfo.processInfo.environment
var clock: any WallClock = SystemClock()
if let start = environment["NARRATE_TEST_CLOCK_START"] {
    do {
        let instant = try TimeText.parse(start, zone: .gmt, now: Date())
        clock = ScaledClock(start: instant, rate: environment["NARRATE_TEST_CLOCK_RATE"].flatMap(Double.init) ?? 1)
    } catch {
        FileHandle.standardError.write(Data("narrate-test-clock: NARRATE_TEST_CLOCK_START: \(error)\n".utf8))
        exit(2)
    }
}
let wiring = Wiring(environment: environment, clock: clock, retryBase: environment["NARRATE_TEST_RETRY_BASE"].flatMap(Double.init))
exit(await QuietExecutor.run { await NarrateMain.run(wiring: wiring) })
