import Foundation
import NarrateModel

/// Reports as they were rendered and queued: the snapshot the outbox delivers from.
public protocol ReportArchive: Sendable {
    func report(_ id: Int64) async throws -> ReportRecord?
    /// Reports of some kinds (``ReportRecord/reportKind``, ``ReportRecord/digestKind``), newest
    /// first, optionally of one team only.
    func reports(team: String?, kinds: [String], limit: Int) async throws -> [ReportRecord]
}
