import NarrateModel
import NarrateReport
import Foundation

/// An archive file: the report written atomically to a path pattern.
struct FileTarget: TargetDescriptor {
    var kind: Target.Kind { .file }
    var keys: TargetKeys { TargetKeys(required: ["path"]) }
    var dialect: Dialect { .commonmark }
    var defaultRate: Double { 5 }

    func endpoint(_ values: TargetValues) -> Endpoint { .file(path: values.strings["path"] ?? "reports/{team}-{date}.md") }

    func action(for part: Delivery, to target: Target, context: DeliveryContext) throws -> DeliveryAction {
        guard case .file(let pattern) = target.endpoint else {
            throw NarrateError(.internal, "target \(target.id) is not a file target")
        }
        let report = context.report
        let path = ReportPath.expand(
            pattern, team: report.team, schedule: report.schedule ?? "manual",
            lastDay: LocalDate(report.periodEnd.addingTimeInterval(-1), in: context.zone), stateDir: context.stateDir)
        return .writeFile(path: path, text: part.body.hasSuffix("\n") ? part.body : part.body + "\n")
    }

    func classify(_ response: HTTPResponse, for part: Delivery, now: Date) -> AttemptOutcome { .sent(receipt: nil) }
}

/// The terminal: `narrate now` prints the report.
struct StdoutTarget: TargetDescriptor {
    var kind: Target.Kind { .stdout }
    var keys: TargetKeys { TargetKeys(required: []) }
    var dialect: Dialect { .commonmark }
    var defaultRate: Double { 5 }

    func endpoint(_ values: TargetValues) -> Endpoint { .stdout }

    func action(for part: Delivery, to target: Target, context: DeliveryContext) throws -> DeliveryAction {
        .print(part.body)
    }

    func classify(_ response: HTTPResponse, for part: Delivery, now: Date) -> AttemptOutcome { .sent(receipt: nil) }
}

/// Where a report file goes: `{team}`, `{date}` (the period's last day) and `{schedule}`
/// filled in; a relative path is under the state dir.
public enum ReportPath {
    public static func expand(_ pattern: String, team: String, schedule: String, lastDay: LocalDate, stateDir: String) -> String {
        let path = pattern.replacingOccurrences(of: "{team}", with: team)
            .replacingOccurrences(of: "{date}", with: lastDay.description)
            .replacingOccurrences(of: "{schedule}", with: schedule)
        return path.hasPrefix("/") ? path : stateDir + "/" + path
    }
}
