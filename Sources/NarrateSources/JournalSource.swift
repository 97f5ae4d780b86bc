import Foundation
import NarrateModel
import NarrateReport

/// Markdown journals: `PATH/<person id>/<YYYY-MM-DD>.md`, with the narrative's headings in
/// English or Chinese; each list item under a heading is an entry of that kind, dated on the
/// file's day. `stage: middle` (or 階段：中段) inside a blocker sets its stage.
public struct JournalSource: ActivitySource {
    public let id: String
    public let path: String

    public init(id: String, path: String) {
        self.id = id
        self.path = path
    }

    static let headings: [String: Entry.Kind] = [
        "progress": .progress, "done": .progress, "目前進展": .progress, "進展": .progress,
        "blockers": .blocker, "blocker": .blocker, "blocked": .blocker, "卡關問題": .blocker, "阻礙": .blocker,
        "next": .next, "next actions": .next, "接下來的行動": .next, "下一步": .next,
        "learned": .learned, "learnings": .learned, "學到了什麼": .learned, "學到的事": .learned,
        "wins": .win, "小勝利": .win, "小成果": .win, "helped": .helped, "協助他人": .helped,
    ]

    static let stages: [String: Entry.Stage] = [
        "front": .front, "middle": .middle, "back": .back, "前段": .front, "中段": .middle, "後段": .back,
    ]

    public func collect(_ request: CollectRequest) async -> Collected {
        var collected = Collected()
        let files = FileManager.default
        for person in request.people {
            let directory = path + "/" + person.id
            guard let names = try? files.contentsOfDirectory(atPath: directory) else { continue }
            for name in names.sorted() where name.hasSuffix(".md") {
                guard let day = try? LocalDate(parsing: String(name.dropLast(3))) else { continue }
                // A day's notes are dated at its noon, kept inside the span: today's file counts
                // before noon too, and a period that starts mid-day keeps that day's notes.
                let midnight = TimeText.local(day, hour: 0, minute: 0, second: 0, zone: request.zone)
                guard midnight < request.end, midnight.addingTimeInterval(86_400) > request.start else { continue }
                let noon = min(max(TimeText.local(day, hour: 12, minute: 0, second: 0, zone: request.zone), request.start), request.end.addingTimeInterval(-1))
                let file = directory + "/" + name
                guard let data = files.contents(atPath: file) else {
                    collected.problems.append("\(file): cannot be read")
                    continue
                }
                guard let text = String(validating: Array(data), as: UTF8.self) else {
                    collected.problems.append("\(file):\(Self.firstBadLine(data)): not UTF-8 text; skipped")
                    continue
                }
                let (entries, problems) = Self.parse(text, person: person.id, day: day, at: noon, file: file, source: id)
                collected.entries += entries
                collected.problems += problems
            }
        }
        return collected
    }

    /// The entries of one journal file, and the problems found in it (`file:line: …`).
    static func parse(_ text: String, person: String, day: LocalDate, at: Date, file: String, source: String) -> ([SourcedEntry], [String]) {
        let document = MarkdownDocument(parsing: text)
        var kind: Entry.Kind?
        var skipping = false
        var entries: [SourcedEntry] = []
        var problems: [String] = []
        for node in document.root.children {
            if node.type == "heading" {
                let title = node.plainText.trimmingCharacters(in: .whitespaces).trimmingCharacters(in: CharacterSet(charactersIn: ":："))
                kind = headings[title.lowercased()]
                skipping = kind == nil && node.level > 1
                if skipping {
                    problems.append("\(file):\(node.line): heading \"\(title)\" is not a part of the narrative (Progress, Blockers, Next, Learned); its items are skipped")
                }
                continue
            }
            guard node.type == "list", let kind, !skipping else { continue }
            for item in node.children where item.type == "item" {
                var text = item.plainText.trimmingCharacters(in: .whitespacesAndNewlines)
                var stage: Entry.Stage?
                if kind == .blocker, let found = Self.stage(in: text) {
                    stage = found.stage
                    text = found.rest
                }
                guard !text.isEmpty else { continue }
                var entry = Entry(person: person, kind: kind, text: text, stage: stage, at: at)
                entry.origin = source
                // The day, not the time: the same note has the same key however the span clamps it.
                let key = "\(source):\(person):\(day):\(kind.rawValue):" + Hash.short(text)
                entries.append(SourcedEntry(entry: entry, key: key))
            }
        }
        return (entries, problems)
    }

    /// `stage: middle` / `(stage: back)` / `階段：中段` anywhere in the text.
    static func stage(in text: String) -> (stage: Entry.Stage, rest: String)? {
        let pattern = #"[\(（]?\s*(?:stage|階段)\s*[:：]\s*(front|middle|back|前段|中段|後段)\s*[\)）]?"#
        guard let range = text.range(of: pattern, options: [.regularExpression, .caseInsensitive]) else { return nil }
        let marker = String(text[range])
        guard let value = stages.first(where: { marker.lowercased().contains($0.key) })?.value else { return nil }
        let rest = text.replacingCharacters(in: range, with: "").trimmingCharacters(in: .whitespaces)
        return (value, rest.trimmingCharacters(in: CharacterSet(charactersIn: " -—,")))
    }

    static func firstBadLine(_ data: Data) -> Int {
        var line = 1
        var start = data.startIndex
        for index in data.indices where data[index] == UInt8(ascii: "\n") {
            if String(validating: Array(data[start..<index]), as: UTF8.self) == nil { return line }
            line += 1
            start = index + 1
        }
        return line
    }
}
