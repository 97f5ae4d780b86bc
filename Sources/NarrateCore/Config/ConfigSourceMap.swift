/// Finds the line of each key in a TOML text, so validation errors can point at it.
///
/// TOMLKit reports positions only for syntax errors; this small scanner walks the text once
/// and records `table[index].key` paths the way ``ConfigReader`` names them.
struct ConfigSourceMap {
    private(set) var lines: [String: Int] = [:]

    init(text: String) {
        var arrayCounts: [String: Int] = [:]
        var table = ""
        var continuation = ContinuationState()
        for (index, rawLine) in text.split(omittingEmptySubsequences: false, whereSeparator: { $0 == "\n" || $0 == "\r\n" }).enumerated() {
            let lineNumber = index + 1
            let line = Substring(rawLine)
            if continuation.isOpen {
                continuation.scan(line)
                continue
            }
            let trimmed = line.drop(while: { $0 == " " || $0 == "\t" })
            if trimmed.isEmpty || trimmed.hasPrefix("#") { continue }
            if trimmed.hasPrefix("[[") {
                let name = Self.headerName(trimmed.dropFirst(2), closing: "]]")
                let count = arrayCounts[name, default: 0]
                arrayCounts[name] = count + 1
                table = "\(name)[\(count)]"
                record(table, lineNumber)
            } else if trimmed.hasPrefix("[") {
                table = Self.headerName(trimmed.dropFirst(), closing: "]")
                record(table, lineNumber)
            } else if let equals = Self.keyEnd(trimmed) {
                let key = Self.normalizedKey(trimmed[trimmed.startIndex..<equals])
                record(table.isEmpty ? key : "\(table).\(key)", lineNumber)
                continuation.scan(trimmed[trimmed.index(after: equals)...])
            }
        }
    }

    private mutating func record(_ path: String, _ line: Int) {
        if lines[path] == nil { lines[path] = line }
    }

    /// The line of a key path, falling back to its parents (`team[0].members[2]` → `team[0].members` → `team[0]`).
    func line(of path: String) -> Int? {
        var path = path
        while true {
            if let line = lines[path] { return line }
            if path.hasSuffix("]"), let open = path.lastIndex(of: "[") {
                path = String(path[..<open])
            } else if let dot = path.lastIndex(of: ".") {
                path = String(path[..<dot])
            } else {
                return nil
            }
        }
    }

    private static func headerName(_ text: Substring, closing: String) -> String {
        let end = text.range(of: closing)?.lowerBound ?? text.endIndex
        return normalizedKey(text[..<end])
    }

    /// `"a" . b` → `a.b`; quotes and spaces around dotted parts are dropped.
    private static func normalizedKey(_ text: Substring) -> String {
        // By hand: Foundation's trimmingCharacters cost a config of 250 KPIs more than its parsing.
        text.split(separator: ".").map { part -> Substring in
            var part = part.drop { $0 == " " || $0 == "\t" }
            while let last = part.last, last == " " || last == "\t" { part = part.dropLast() }
            if let first = part.first, first == "\"" || first == "'" { part = part.dropFirst() }
            if let last = part.last, last == "\"" || last == "'" { part = part.dropLast() }
            return part
        }.joined(separator: ".")
    }

    /// The index of the `=` that ends a key, outside quotes.
    private static func keyEnd(_ line: Substring) -> Substring.Index? {
        var quote: Character?
        for index in line.indices {
            let character = line[index]
            if let open = quote {
                if character == open { quote = nil }
            } else if character == "\"" || character == "'" {
                quote = character
            } else if character == "=" {
                return index
            } else if character == "#" {
                return nil
            }
        }
        return nil
    }
}

/// Tracks multi-line arrays, inline tables and multi-line strings across lines.
private struct ContinuationState {
    var depth = 0
    var multiline: String?

    var isOpen: Bool { depth > 0 || multiline != nil }

    mutating func scan(_ text: Substring) {
        var index = text.startIndex
        var quote: Character?
        while index < text.endIndex {
            let rest = text[index...]
            if let delimiter = multiline {
                if rest.hasPrefix(delimiter) {
                    multiline = nil
                    index = text.index(index, offsetBy: 3)
                    continue
                }
                if delimiter == "\"\"\"", rest.hasPrefix("\\") {
                    index = text.index(index, offsetBy: min(2, rest.count))
                    continue
                }
                index = text.index(after: index)
                continue
            }
            let character = text[index]
            if let open = quote {
                if character == "\\" && open == "\"" {
                    index = text.index(index, offsetBy: min(2, rest.count))
                    continue
                }
                if character == open { quote = nil }
            } else if rest.hasPrefix("\"\"\"") || rest.hasPrefix("'''") {
                multiline = String(rest.prefix(3))
                index = text.index(index, offsetBy: 3)
                continue
            } else if character == "\"" || character == "'" {
                quote = character
            } else if character == "[" || character == "{" {
                depth += 1
            } else if character == "]" || character == "}" {
                depth = max(0, depth - 1)
            } else if character == "#" {
                return
            }
            index = text.index(after: index)
        }
    }
}

import Foundation
