import NarrateModel
/// Reads a TOML 1.0 document into a ``TOMLTable`` and records the line of every key path, so a
/// problem found later — a wrong type, an unknown key — points at its line.
///
/// narrate's own parser rather than a C++ one: a config someone is still typing must give a
/// message with its line and column, and no input may stop the process. It works on the UTF-8
/// bytes; everything TOML gives meaning to is ASCII, and an ASCII byte never occurs inside a
/// multi-byte sequence, so strings are cut from the bytes whole.
package struct TOMLParser {
    /// What a parse gives: the document, or the first syntax error; and the lines of the key
    /// paths read until then (`team[1].members`, `team[1].members[0]`, `narrate`).
    package struct Result {
        package var table: TOMLTable?
        package var error: TOMLSyntaxError?
        package var lines: [String: Int]
    }

    /// Without `recordingLines` the lines are not kept: a config without problems never needs
    /// them, and naming every key path is a third of the parse.
    package static func parse(_ text: String, recordingLines: Bool = true) -> Result {
        var parser = TOMLParser(bytes: Array(text.utf8), recordingLines: recordingLines)
        do {
            try parser.document()
            return Result(table: parser.root.frozen(), error: nil, lines: parser.lines)
        } catch {
            return Result(table: nil, error: error, lines: parser.lines)
        }
    }

    package let bytes: [UInt8]
    package var index = 0
    package var line = 1
    package var lineStart = 0
    package var lines: [String: Int] = [:]
    package let recordingLines: Bool
    package let root = TableNode(path: "", origin: .header, line: 1)
    /// Arrays and inline tables open around the value being read; bounded so that `[[[[…` is
    /// an error, not a stack overflow.
    package var depth = 0
    package static let maximumDepth = 64

    package init(bytes: [UInt8], recordingLines: Bool) {
        self.bytes = bytes
        self.recordingLines = recordingLines
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { index = 3 }  // a byte order mark
    }

    // MARK: The document

    package mutating func document() throws(TOMLSyntaxError) {
        var current = root
        while true {
            skipSpaces()
            guard let byte = peek() else { return }
            switch byte {
            case UInt8(ascii: "#"), UInt8(ascii: "\n"), UInt8(ascii: "\r"):
                try endOfLine(after: nil)
            case UInt8(ascii: "["):
                current = try header()
                try endOfLine(after: "the table header")
            default:
                let key = try keyValue(into: current)
                try endOfLine(after: "the value of \"\(key)\"")
            }
        }
    }

    /// `[a.b]` or `[[a.b]]`: the table that the following keys go into.
    private mutating func header() throws(TOMLSyntaxError) -> TableNode {
        let headerLine = line
        index += 1
        let isArray = peek() == UInt8(ascii: "[")
        if isArray { index += 1 }
        skipSpaces()
        guard let first = peek(), Self.isBareKey(first) || first == UInt8(ascii: "\"") || first == UInt8(ascii: "'") else {
            throw failure("a table header needs a name after \"\(isArray ? "[[" : "[")\", found \(found()) (e.g. [[team]])")
        }
        let keys = try key(what: "a table name")
        skipSpaces()
        if isArray {
            guard peek() == UInt8(ascii: "]"), peek(1) == UInt8(ascii: "]") else {
                throw failure("expected \"]]\" to close the header, found \(found())")
            }
            index += 2
        } else {
            guard peek() == UInt8(ascii: "]") else { throw failure("expected \"]\" to close the header, found \(found())") }
            index += 1
        }
        var table = root
        for part in keys.dropLast() {
            switch table.items[part.name] {
            case nil:
                let child = TableNode(path: table.path(part.name), origin: .implicit, line: headerLine)
                table.add(part.name, .table(child))
                table = child
            case .table(let child):
                table = child
            case .tables(let list):
                table = list.elements[list.elements.count - 1]
            case .value(let value, let line):
                throw failure(at: part, "\"\(table.path(part.name))\" is \(Self.describe(value)) (line \(line)), not a table")
            }
        }
        let last = keys[keys.count - 1]
        let path = table.path(last.name)
        if isArray {
            let list: TableListNode
            switch table.items[last.name] {
            case nil:
                list = TableListNode()
                table.add(last.name, .tables(list))
            case .tables(let existing):
                list = existing
            case .table(let existing):
                throw failure(at: last, "\"\(path)\" is already a table (line \(existing.line)), not an array of tables")
            case .value(let value, let line):
                throw failure(at: last, "\"\(path)\" is \(Self.describe(value)) (line \(line)), not an array of tables")
            }
            let element = TableNode(path: "\(path)[\(list.elements.count)]", origin: .header, line: headerLine)
            list.elements.append(element)
            record(element.path, headerLine)
            return element
        }
        switch table.items[last.name] {
        case nil:
            let child = TableNode(path: path, origin: .header, line: headerLine)
            table.add(last.name, .table(child))
            record(path, headerLine)
            return child
        case .table(let existing) where existing.origin == .implicit:
            existing.origin = .header
            record(path, headerLine)
            return existing
        case .table(let existing):
            let how = existing.origin == .dotted ? "with dotted keys" : "as [\(path)]"
            throw failure(at: last, "table \"\(path)\" is already defined \(how) on line \(existing.line)")
        case .tables:
            throw failure(at: last, "\"\(path)\" is an array of tables ([[\(path)]]), not a table")
        case .value(let value, let line):
            throw failure(at: last, "\"\(path)\" is \(Self.describe(value)) (line \(line)), not a table")
        }
    }

    /// `key = value` (or `a.b.c = value`) into `table`; returns the key as written, for messages.
    private mutating func keyValue(into table: TableNode) throws(TOMLSyntaxError) -> String {
        let keyLine = line
        let keys = try key(what: "a key, a [table] header or a comment")
        skipSpaces()
        let written = keys.map(\.name).joined(separator: ".")
        guard peek() == UInt8(ascii: "=") else {
            throw failure("expected \"=\" after the key \"\(written)\", found \(found())")
        }
        index += 1
        skipSpaces()
        var target = table
        for part in keys.dropLast() {
            switch target.items[part.name] {
            case nil:
                let child = TableNode(path: target.path(part.name), origin: .dotted, line: keyLine)
                target.add(part.name, .table(child))
                record(child.path, keyLine)
                target = child
            case .table(let child) where child.origin == .dotted || child.origin == .implicit:
                // A parent so far only named by a header becomes one made by dotted keys: a later
                // [header] may no longer define it.
                child.origin = .dotted
                target = child
            case .table(let child):
                throw failure(at: part, "table \"\(child.path)\" is defined on line \(child.line); a dotted key cannot add to it")
            case .tables:
                throw failure(at: part, "\"\(target.path(part.name))\" is an array of tables; a dotted key cannot add to it")
            case .value(let value, let line):
                throw failure(at: part, "\"\(target.path(part.name))\" is \(Self.describe(value)) (line \(line)), not a table")
            }
        }
        let last = keys[keys.count - 1]
        if let existing = target.items[last.name] {
            throw failure(at: last, "\"\(target.path(last.name))\" is defined twice (first on line \(existing.line))")
        }
        if recordingLines { record(target.path(last.name), keyLine) }
        let value = try value { target.path(last.name) }
        target.add(last.name, .value(value, line: keyLine))
        return written
    }

    /// After a header or a key/value pair: spaces, an optional comment, then a line break or the end.
    private mutating func endOfLine(after what: String?) throws(TOMLSyntaxError) {
        skipSpaces()
        if peek() == UInt8(ascii: "#") { try comment() }
        guard let byte = peek() else { return }
        if byte == UInt8(ascii: "\n") || (byte == UInt8(ascii: "\r") && peek(1) == UInt8(ascii: "\n")) {
            newline()
            return
        }
        if let what { throw failure("expected the end of the line after \(what), found \(found())") }
        throw failure("unexpected \(found())")
    }

    private mutating func comment() throws(TOMLSyntaxError) {
        index += 1
        while let byte = peek(), byte != UInt8(ascii: "\n") {
            if byte == UInt8(ascii: "\r") && peek(1) == UInt8(ascii: "\n") { return }
            if Self.isControl(byte) { throw failure("a comment cannot contain the control character \(Self.codePoint(byte))") }
            index += 1
        }
    }

    // MARK: Keys

    package struct KeyPart {
        let name: String
        let offset: Int
        let line: Int
        let lineStart: Int
    }

    /// A simple or dotted key: bare (`a-b_1`), "basic" or 'literal', parts joined by dots.
    private mutating func key(what: String) throws(TOMLSyntaxError) -> [KeyPart] {
        var parts: [KeyPart] = []
        while true {
            skipSpaces()
            let start = index
            let name: String
            switch peek() {
            case UInt8(ascii: "\"")?:
                name = try basicString()
            case UInt8(ascii: "'")?:
                name = try literalString()
            case let byte? where Self.isBareKey(byte):
                while let byte = peek(), Self.isBareKey(byte) { index += 1 }
                name = String(decoding: bytes[start..<index], as: UTF8.self)
            default:
                throw failure(parts.isEmpty ? "expected \(what), found \(found())" : "expected a key after \".\", found \(found())")
            }
            parts.append(KeyPart(name: name, offset: start, line: line, lineStart: lineStart))
            skipSpaces()
            guard peek() == UInt8(ascii: ".") else { return parts }
            index += 1
        }
    }

    // MARK: Values

    /// A value; `path` names it, asked for only when a line is recorded or an inline table made.
    private mutating func value(path: () -> String) throws(TOMLSyntaxError) -> TOMLValue {
        guard let byte = peek() else { throw failure("expected a value, found the end of the file") }
        switch byte {
        case UInt8(ascii: "\""):
            if peek(1) == byte && peek(2) == byte { return .string(try multilineString()) }
            return .string(try basicString())
        case UInt8(ascii: "'"):
            if peek(1) == byte && peek(2) == byte { return .string(try multilineString()) }
            return .string(try literalString())
        case UInt8(ascii: "["):
            return try array(path: path)
        case UInt8(ascii: "{"):
            return try inlineTable(path: path())
        case UInt8(ascii: "t"), UInt8(ascii: "f"):
            for (word, value) in [("true", true), ("false", false)] where bytes[index...].starts(with: word.utf8) {
                index += word.utf8.count
                return .bool(value)
            }
            throw failure("expected a value, found \(found())\(Self.quoteHint(byte))")
        case UInt8(ascii: "+"), UInt8(ascii: "-"), UInt8(ascii: "i"), UInt8(ascii: "n"), UInt8(ascii: "0")...UInt8(ascii: "9"):
            return try scalar()
        default:
            throw failure("expected a value, found \(found())\(Self.quoteHint(byte))")
        }
    }

    private mutating func array(path: () -> String) throws(TOMLSyntaxError) -> TOMLValue {
        try enter()
        defer { depth -= 1 }
        index += 1
        var elements: [TOMLValue] = []
        while true {
            try skipBlank()
            if peek() == UInt8(ascii: "]") {
                index += 1
                return .array(elements)
            }
            let count = elements.count
            if recordingLines { record("\(path())[\(count)]", line) }
            elements.append(try value { "\(path())[\(count)]" })
            try skipBlank()
            switch peek() {
            case UInt8(ascii: ",")?:
                index += 1
            case UInt8(ascii: "]")?:
                index += 1
                return .array(elements)
            default:
                throw failure("expected \",\" or \"]\" in the array, found \(found())")
            }
        }
    }

    /// `{ a = 1, b.c = "x" }`: on one line, no trailing comma, closed to later additions.
    private mutating func inlineTable(path: String) throws(TOMLSyntaxError) -> TOMLValue {
        try enter()
        defer { depth -= 1 }
        index += 1
        let table = TableNode(path: path, origin: .inline, line: line)
        skipSpaces()
        if peek() == UInt8(ascii: "}") {
            index += 1
            return .table(table.frozen())
        }
        while true {
            _ = try keyValue(into: table)
            skipSpaces()
            switch peek() {
            case UInt8(ascii: ",")?:
                index += 1
                skipSpaces()
                if peek() == UInt8(ascii: "}") { throw failure("an inline table cannot end with \",\"") }
            case UInt8(ascii: "}")?:
                index += 1
                return .table(table.frozen())
            default:
                throw failure("expected \",\" or \"}\" in the inline table (which stays on one line), found \(found())")
            }
        }
    }

    private mutating func enter() throws(TOMLSyntaxError) {
        depth += 1
        if depth > Self.maximumDepth { throw failure("arrays and inline tables nested more than \(Self.maximumDepth) deep") }
    }

    // MARK: Reading bytes

    package func peek(_ offset: Int = 0) -> UInt8? {
        index + offset < bytes.count ? bytes[index + offset] : nil
    }

    package mutating func skipSpaces() {
        while let byte = peek(), byte == UInt8(ascii: " ") || byte == UInt8(ascii: "\t") { index += 1 }
    }

    /// Inside an array: spaces, line breaks and comments.
    private mutating func skipBlank() throws(TOMLSyntaxError) {
        while true {
            skipSpaces()
            switch peek() {
            case UInt8(ascii: "#")?:
                try comment()
            case UInt8(ascii: "\n")?:
                newline()
            case UInt8(ascii: "\r")? where peek(1) == UInt8(ascii: "\n"):
                newline()
            default:
                return
            }
        }
    }

    /// Past a line break (`\n` or `\r\n`) at `index`.
    package mutating func newline() {
        index += bytes[index] == UInt8(ascii: "\r") ? 2 : 1
        line += 1
        lineStart = index
    }

    package mutating func record(_ path: String, _ line: Int) {
        if recordingLines && lines[path] == nil { lines[path] = line }
    }

    // MARK: Messages

    /// What is at `index`, for "found …".
    package func found() -> String {
        guard let byte = peek() else { return "the end of the file" }
        if byte == UInt8(ascii: "\n") || byte == UInt8(ascii: "\r") { return "the end of the line" }
        if Self.isControl(byte) { return Self.codePoint(byte) }
        if Self.isBareKey(byte) {
            // A word is shown whole (up to a length a message can carry).
            var end = index
            while end < bytes.count && end - index < 24 && Self.isBareKey(bytes[end]) { end += 1 }
            return "\"\(String(decoding: bytes[index..<end], as: UTF8.self))\""
        }
        var end = index + 1
        while end < bytes.count && bytes[end] & 0xC0 == 0x80 { end += 1 }
        return "\"\(String(decoding: bytes[index..<end], as: UTF8.self))\""
    }

    package func failure(_ message: String) -> TOMLSyntaxError {
        failure(at: index, line: line, lineStart: lineStart, message)
    }

    package func failure(at key: KeyPart, _ message: String) -> TOMLSyntaxError {
        failure(at: key.offset, line: key.line, lineStart: key.lineStart, message)
    }

    package func failure(at offset: Int, line: Int, lineStart: Int, _ message: String) -> TOMLSyntaxError {
        // Columns count characters, not bytes: continuation bytes are skipped.
        let column = 1 + bytes[lineStart..<min(offset, bytes.count)].count { $0 & 0xC0 != 0x80 }
        return TOMLSyntaxError(line: line, column: column, message: message)
    }

    package static func describe(_ value: TOMLValue) -> String {
        switch value {
        case .table: "an inline table"
        case .array: "an array"
        default: "a value"
        }
    }

    /// A word where a value belongs is most likely text without its quotes.
    package static func quoteHint(_ byte: UInt8) -> String {
        isBareKey(byte) || byte >= 0x80 ? " (text needs quotes: \"…\")" : ""
    }

    package static func isBareKey(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "0")...UInt8(ascii: "9"),
            UInt8(ascii: "_"), UInt8(ascii: "-"):
            true
        default: false
        }
    }

    /// Control characters other than tab, which TOML allows in neither strings nor comments.
    package static func isControl(_ byte: UInt8) -> Bool {
        (byte < 0x20 && byte != UInt8(ascii: "\t")) || byte == 0x7F
    }

    package static func codePoint(_ byte: UInt8) -> String {
        let hex = String(byte, radix: 16, uppercase: true)
        return "U+" + String(repeating: "0", count: 4 - hex.count) + hex
    }
}

/// A syntax error with where it is.
package struct TOMLSyntaxError: Error, Equatable {
    package let line: Int
    package let column: Int
    package let message: String

    package init(line: Int, column: Int, message: String) {
        self.line = line
        self.column = column
        self.message = message
    }
}
