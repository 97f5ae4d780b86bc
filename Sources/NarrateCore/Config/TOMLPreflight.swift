/// Finds the table headers the TOML parser cannot be given: its C++ core stops the process on
/// a header whose name starts with a character no key starts with (`[`, `[=]`, `[.a]`, `[#x]`),
/// instead of reporting it. narrate reports it as a syntax error on its line first.
///
/// Works on UTF-8 bytes: everything it looks for is ASCII, and an ASCII byte never occurs
/// inside a multi-byte sequence.
enum TOMLPreflight {
    /// The first such header: its line (1-based) and what is wrong.
    static func headerProblem(_ text: String) -> (line: Int, message: String)? {
        let bytes = Array(text.utf8)
        let newline = UInt8(ascii: "\n"), quote = UInt8(ascii: "\""), apostrophe = UInt8(ascii: "'")
        let open = UInt8(ascii: "["), close = UInt8(ascii: "]"), hash = UInt8(ascii: "#")
        var line = 1
        var depth = 0  // open brackets of array values, across lines
        var atLineStart = true
        var index = 0
        func at(_ offset: Int) -> UInt8? { index + offset < bytes.count ? bytes[index + offset] : nil }
        while index < bytes.count {
            let byte = bytes[index]
            switch byte {
            case newline:
                line += 1
                atLineStart = true
                index += 1
            case UInt8(ascii: " "), UInt8(ascii: "\t"), UInt8(ascii: "\r"):
                index += 1
            case hash:
                while index < bytes.count && bytes[index] != newline { index += 1 }
            case quote, apostrophe:
                let triple = at(1) == byte && at(2) == byte
                index += triple ? 3 : 1
                while index < bytes.count {
                    let current = bytes[index]
                    if current == UInt8(ascii: "\\") && byte == quote {
                        index += 2
                        continue
                    }
                    if current == newline {
                        if !triple { break }
                        line += 1
                    }
                    if current == byte && (!triple || (at(1) == byte && at(2) == byte)) {
                        index += triple ? 3 : 1
                        break
                    }
                    index += 1
                }
                atLineStart = false
            case open where atLineStart && depth == 0:
                // A table header: [name] or [[name]].
                index += at(1) == open ? 2 : 1
                while let next = at(0), next == UInt8(ascii: " ") || next == UInt8(ascii: "\t") { index += 1 }
                guard let next = at(0), isKeyStart(next) || next == close else {
                    let found: String
                    switch at(0) {
                    case nil: found = "the end of the file"
                    case newline: found = "the end of the line"
                    default: found = "\"\(String(decoding: bytes[index...].prefix(4), as: UTF8.self).prefix(1))\""
                    }
                    return (line, "a table header needs a name after \"[\", found \(found) (e.g. [[team]])")
                }
                while index < bytes.count && bytes[index] != newline && bytes[index] != hash { index += 1 }
                atLineStart = false
            default:
                if byte == open { depth += 1 }
                if byte == close { depth = max(0, depth - 1) }
                atLineStart = false
                index += 1
            }
        }
        return nil
    }

    static func isKeyStart(_ byte: UInt8) -> Bool {
        (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(byte) || (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains(byte)
            || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) || byte == UInt8(ascii: "_") || byte == UInt8(ascii: "-")
            || byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "'")
    }
}
