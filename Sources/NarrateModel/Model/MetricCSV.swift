import Foundation

/// Reads `kpi,value,at` CSV files. Every bad row is reported with its line; one bad row
/// means nothing is imported.
public enum MetricCSV {
    public static func parse(_ text: String, file: String, config: Config, now: Date) throws -> [MetricReading] {
        var problems: [String] = []
        var readings: [MetricReading] = []
        var header: [String]?
        var lineNumber = 0
        for rawLine in text.split(omittingEmptySubsequences: false, whereSeparator: { $0 == "\n" || $0 == "\r\n" }) {
            lineNumber += 1
            let line = rawLine
            if line.trimmingCharacters(in: .whitespaces).isEmpty { continue }
            let fields: [String]
            do {
                fields = try splitFields(String(line))
            } catch {
                problems.append("\(file):\(lineNumber): \(error)")
                continue
            }
            guard let columns = header else {
                let names = fields.map { $0.trimmingCharacters(in: .whitespaces).lowercased() }
                guard names == ["kpi", "value", "at"] || names == ["kpi", "value"] else {
                    throw NarrateError(.invalidInput, "\(file):\(lineNumber): the header must be kpi,value,at (found \(fields.joined(separator: ",")))")
                }
                header = names
                continue
            }
            guard fields.count == columns.count else {
                problems.append("\(file):\(lineNumber): expected \(columns.count) fields, found \(fields.count)")
                continue
            }
            let kpiID = fields[0].trimmingCharacters(in: .whitespaces)
            guard let kpi = config.kpi(kpiID) else {
                problems.append("\(file):\(lineNumber): unknown KPI \"\(kpiID)\"")
                continue
            }
            guard let value = Double(fields[1].trimmingCharacters(in: .whitespaces)), value.isFinite else {
                problems.append("\(file):\(lineNumber): \"\(fields[1])\" is not a number")
                continue
            }
            if let problem = MetricBounds.problem(value) {
                problems.append("\(file):\(lineNumber): \(problem)")
                continue
            }
            var at = now
            if columns.count == 3, !fields[2].trimmingCharacters(in: .whitespaces).isEmpty {
                do {
                    at = try TimeText.parse(fields[2], zone: config.zone(ofTeam: kpi.team), now: now)
                } catch {
                    problems.append("\(file):\(lineNumber): \(error)")
                    continue
                }
            }
            readings.append(MetricReading(kpi: kpi.id, value: value, at: at))
        }
        if header == nil { throw NarrateError(.invalidInput, "\(file): empty file; expected a header kpi,value,at") }
        guard problems.isEmpty else {
            throw NarrateError(.invalidInput,
                problems.joined(separator: "\n") + "\nnothing was imported from \(file) (\(problems.count) bad row\(problems.count == 1 ? "" : "s"))")
        }
        return readings
    }

    /// RFC 4180 fields of one line: quotes may wrap a field, `""` is a quote inside one.
    static func splitFields(_ line: String) throws -> [String] {
        var fields: [String] = []
        var field = ""
        var quoted = false
        var wasQuoted = false
        var iterator = Array(line).makeIterator()
        var pending: Character? = iterator.next()
        while let character = pending {
            pending = iterator.next()
            if quoted {
                if character == "\"" {
                    if pending == "\"" {
                        field.append("\"")
                        pending = iterator.next()
                    } else {
                        quoted = false
                    }
                } else {
                    field.append(character)
                }
            } else if character == "," {
                fields.append(field)
                field = ""
                wasQuoted = false
            } else if character == "\"" && field.trimmingCharacters(in: .whitespaces).isEmpty && !wasQuoted {
                quoted = true
                wasQuoted = true
                field = ""
            } else {
                field.append(character)
            }
        }
        if quoted { throw NarrateError(.invalidInput, "unterminated quoted field") }
        fields.append(field)
        return fields
    }
}
