import Foundation
import Synchronization
import Testing
@testable import NarrateModel
@testable import NarrateTOML
@testable import NarrateConfig
@testable import NarrateReport
@testable import NarrateTargets
@testable import NarratePlatform

@Suite struct ConcurrentParsingTests {
    /// Reports are formatted in parallel; cmark-gfm aborted now and then when two parses ran at once.
    @Test func formattingFromManyThreadsAtOnce() throws {
        let markdown = try ReportRenderer().teamReport(ReportFixture.report, locale: "en")
        let expected = MessageFormatter(dialect: .slack, limit: 1_000).parts(markdown)
        let mismatches = Mutex(0)
        DispatchQueue.concurrentPerform(iterations: 2_000) { index in
            let dialect: Dialect = index % 2 == 0 ? .slack : .discord
            let parts = MessageFormatter(dialect: dialect, limit: 1_000).parts(markdown)
            if dialect == .slack && parts != expected { mismatches.withLock { $0 += 1 } }
        }
        #expect(mismatches.withLock { $0 } == 0)
    }
}
