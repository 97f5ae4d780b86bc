/// Finds the table headers the TOML parser cannot be given: its C++ core stops the process on
/// a header whose name starts with a character no key starts with (`[`, `[=]`, `[.a]`, `[#x]`),
/// instead of reporting it. narrate reports it as a syntax error on its line first.
enum TOMLPreflight {
    /// The first such header: its line (1-based) and what is wrong.
    static func headerProblem(_ text: String) -> (line: Int, message: String)? {
        var line = 1
        var depth = 0  // open brackets of array values, across lines
        var atLineStart = true
        var index = text.unicodeScalars.startIndex
        let scalars = text.unicodeScalars
        func peek(_ offset: Int) -> Unicode.Scalar? {
            var cursor = index
            for _ in 0..<offset {
                guard cursor < scalars.endIndex else { return nil }
                cursor = scalars.index(after: cursor)
            }
            return cursor < scalars.endIndex ? scalars[cursor] : nil
        }
        func advance() {
            if scalars[index] == "\n" { line += 1 }
            index = scalars.index(after: index)
        }
        while index < scalars.endIndex {
            let scalar = scalars[index]
            if scalar == "\n" {
                atLineStart = true
                advance()
                continue
            }
            if scalar == " " || scalar == "\t" || scalar == "\r" {
                advance()
                continue
            }
            if scalar == "#" {
                while index < scalars.endIndex && scalars[index] != "\n" { advance() }
                continue
            }
            if scalar == "\"" || scalar == "'" {
                let triple = peek(1) == scalar && peek(2) == scalar
                advance()
                if triple {
                    advance()
                    advance()
                }
                while index < scalars.endIndex {
                    let current = scalars[index]
                    if current == "\\" && scalar == "\"" {
                        advance()
                        if index < scalars.endIndex { advance() }
                        continue
                    }
                    if current == "\n" && !triple { break }
                    if current == scalar && (!triple || (peek(1) == scalar && peek(2) == scalar)) {
                        advance()
                        if triple {
                            advance()
                            advance()
                        }
                        break
                    }
                    advance()
                }
                atLineStart = false
                continue
            }
            if scalar == "[" && atLineStart && depth == 0 {
                // A table header: [name] or [[name]].
                let headerLine = line
                advance()
                if index < scalars.endIndex && scalars[index] == "[" { advance() }
                while index < scalars.endIndex && (scalars[index] == " " || scalars[index] == "\t") { advance() }
                let next = index < scalars.endIndex ? scalars[index] : nil
                if let next, isKeyStart(next) || next == "]" {
                    while index < scalars.endIndex && scalars[index] != "\n" && scalars[index] != "#" { advance() }
                    atLineStart = false
                    continue
                }
                let found = next.map { $0 == "\n" ? "the end of the line" : "\"\($0)\"" } ?? "the end of the file"
                return (headerLine, "a table header needs a name after \"[\", found \(found) (e.g. [[team]])")
            }
            if scalar == "[" { depth += 1 }
            if scalar == "]" { depth = max(0, depth - 1) }
            atLineStart = false
            advance()
        }
        return nil
    }

    static func isKeyStart(_ scalar: Unicode.Scalar) -> Bool {
        ("a"..."z").contains(scalar) || ("A"..."Z").contains(scalar) || ("0"..."9").contains(scalar) || scalar == "_"
            || scalar == "-" || scalar == "\"" || scalar == "'"
    }
}
