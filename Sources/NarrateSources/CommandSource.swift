import Foundation
import NarrateModel
import NarrateReport

/// A program the team already has, run with a time limit: each line of its output is a JSON
/// object, an entry `{"person","kind","text","at","stage","url"}` or a reading
/// `{"kpi","value","at"}`. Bad lines are reported by number and skipped; a program that fails or
/// runs out of time is reported, and what it printed before still counts.
///
/// It is called with the period as `NARRATE_START` and `NARRATE_END` (ISO 8601).
public struct CommandSource: ActivitySource {
    public let id: String
    public let command: [String]
    public let timeout: TimeInterval
    public let kpis: Set<String>

    public init(id: String, command: [String], timeout: TimeInterval, kpis: Set<String>) {
        self.id = id
        self.command = command
        self.timeout = timeout
        self.kpis = kpis
    }

    public func collect(_ request: CollectRequest) async -> Collected {
        var collected = Collected()
        var environment = ProcessInfo.processInfo.environment
        environment["NARRATE_START"] = TimeText.iso(request.start, in: request.zone)
        environment["NARRATE_END"] = TimeText.iso(request.end, in: request.zone)
        let result: ProcessRunner.Result
        do {
            result = try await ProcessRunner.run(command, timeout: min(timeout, max(1, request.deadline.timeIntervalSinceNow)), environment: environment)
        } catch {
            collected.problems.append("\(id): cannot run \(command[0]): \(error.localizedDescription)")
            return collected
        }
        if result.timedOut {
            collected.problems.append("\(id): \(command[0]) ran longer than \(Int(timeout)) s and was stopped")
        } else if result.status != 0 {
            let detail = OneLine.clean(result.stderr)
            collected.problems.append("\(id): \(command[0]) exited with status \(result.status)" + (detail.isEmpty ? "" : ": \(detail)"))
        }
        let people = Dictionary(uniqueKeysWithValues: request.people.map { ($0.id, $0) })
        for (index, raw) in String(decoding: result.stdout, as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let line = raw.trimmingCharacters(in: .whitespaces)
            guard !line.isEmpty else { continue }
            do {
                try read(line, people: people, request: request, into: &collected)
            } catch {
                collected.problems.append("\(id): line \(index + 1): \(error)")
            }
        }
        return collected
    }

    func read(_ line: String, people: [String: Person], request: CollectRequest, into collected: inout Collected) throws {
        guard let object = (try? JSONSerialization.jsonObject(with: Data(line.utf8))) as? [String: Any] else {
            throw NarrateError(.invalidInput, "not a JSON object")
        }
        let at: Date
        if let text = object["at"] as? String {
            at = try TimeText.parse(text, zone: request.zone, now: request.end)
        } else {
            at = min(Date(), request.end.addingTimeInterval(-1))
        }
        if let kpi = object["kpi"] as? String {
            guard kpis.contains(kpi) else { throw NarrateError(.invalidInput, "unknown KPI \"\(kpi)\"") }
            guard let value = (object["value"] as? NSNumber)?.doubleValue else { throw NarrateError(.invalidInput, "\"value\" must be a number") }
            try MetricBounds.check(value)
            collected.readings.append(MetricReading(kpi: kpi, value: value, at: at, origin: .source))
            return
        }
        guard let personID = object["person"] as? String else { throw NarrateError(.invalidInput, "needs \"person\" (or \"kpi\" for a reading)") }
        guard people[personID] != nil else { throw NarrateError(.invalidInput, "\"\(personID)\" is not a person this source covers") }
        guard let kindText = object["kind"] as? String, let kind = Entry.Kind(rawValue: kindText) else {
            throw NarrateError(.invalidInput, "\"kind\" is one of \(Entry.Kind.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        let text = try TextRules.validated(object["text"] as? String ?? "")
        let stage = try (object["stage"] as? String).map { value -> Entry.Stage in
            guard let stage = Entry.Stage(rawValue: value) else { throw NarrateError(.invalidInput, "\"stage\" is front, middle or back") }
            return stage
        }
        guard at >= request.start, at < request.end else { return }
        var entry = Entry(person: personID, kind: kind, text: text, stage: kind == .blocker ? stage : nil, at: at)
        entry.origin = id
        entry.url = object["url"] as? String
        let key = "\(id):" + (entry.url ?? "\(personID):\(Int(at.timeIntervalSince1970)):\(kind.rawValue):" + Hash.short(text))
        collected.entries.append(SourcedEntry(entry: entry, key: key))
    }
}
