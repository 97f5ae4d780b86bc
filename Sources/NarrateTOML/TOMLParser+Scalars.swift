import NarrateModel
/// Strings, numbers, dates and times.
extension TOMLParser {
    private static let quote = UInt8(ascii: "\""), apostrophe = UInt8(ascii: "'"), backslash = UInt8(ascii: "\\")
    private static let lineFeed = UInt8(ascii: "\n"), carriageReturn = UInt8(ascii: "\r")

    // MARK: Strings

    /// `"…"` with escapes, on one line.
    package mutating func basicString() throws(TOMLSyntaxError) -> String {
        index += 1
        var text: [UInt8] = []
        var start = index
        while true {
            guard let byte = peek() else { throw failure("the string is not closed with \" before the end of the file") }
            switch byte {
            case Self.quote:
                text += bytes[start..<index]
                index += 1
                return String(decoding: text, as: UTF8.self)
            case Self.backslash:
                text += bytes[start..<index]
                try escape(into: &text)
                start = index
            case Self.lineFeed, Self.carriageReturn:
                throw failure("the string is not closed with \" on its line (use \"\"\" for text over several lines)")
            default:
                if Self.isControl(byte) { throw failure("a string cannot contain the control character \(Self.codePoint(byte))") }
                index += 1
            }
        }
    }

    /// `'…'`: as written, on one line.
    package mutating func literalString() throws(TOMLSyntaxError) -> String {
        index += 1
        let start = index
        while true {
            guard let byte = peek() else { throw failure("the string is not closed with ' before the end of the file") }
            switch byte {
            case Self.apostrophe:
                index += 1
                return String(decoding: bytes[start..<index - 1], as: UTF8.self)
            case Self.lineFeed, Self.carriageReturn:
                throw failure("the string is not closed with ' on its line (use ''' for text over several lines)")
            default:
                if Self.isControl(byte) { throw failure("a string cannot contain the control character \(Self.codePoint(byte))") }
                index += 1
            }
        }
    }

    /// `"""…"""` (with escapes and line-ending backslashes) or `'''…'''` (as written).
    package mutating func multilineString() throws(TOMLSyntaxError) -> String {
        let delimiter = bytes[index]
        let escapes = delimiter == Self.quote
        index += 3
        // A line break right after the opening delimiter is not part of the text.
        if peek() == Self.lineFeed || (peek() == Self.carriageReturn && peek(1) == Self.lineFeed) { newline() }
        var text: [UInt8] = []
        var start = index
        while true {
            guard let byte = peek() else {
                let closing = String(repeating: String(UnicodeScalar(delimiter)), count: 3)
                throw failure("the text is not closed with \(closing) before the end of the file")
            }
            if byte == delimiter && peek(1) == delimiter && peek(2) == delimiter {
                var run = 3
                while peek(run) == delimiter { run += 1 }
                if run > 5 { throw failure("too many quotes in a row at the end of the text") }
                text += bytes[start..<index + run - 3]
                index += run
                return String(decoding: text, as: UTF8.self)
            }
            switch byte {
            case Self.backslash where escapes:
                text += bytes[start..<index]
                var look = index + 1
                while look < bytes.count && (bytes[look] == UInt8(ascii: " ") || bytes[look] == UInt8(ascii: "\t")) { look += 1 }
                if look < bytes.count && (bytes[look] == Self.lineFeed || bytes[look] == Self.carriageReturn) {
                    // A line-ending backslash joins the lines: the break and the blanks after it go.
                    index = look
                    while let next = peek() {
                        if next == UInt8(ascii: " ") || next == UInt8(ascii: "\t") {
                            index += 1
                        } else if next == Self.lineFeed || (next == Self.carriageReturn && peek(1) == Self.lineFeed) {
                            newline()
                        } else {
                            break
                        }
                    }
                } else {
                    try escape(into: &text)
                }
                start = index
            case Self.lineFeed:
                text += bytes[start..<index]
                text.append(Self.lineFeed)
                newline()
                start = index
            case Self.carriageReturn where peek(1) == Self.lineFeed:
                text += bytes[start..<index]
                text.append(Self.lineFeed)
                newline()
                start = index
            default:
                if Self.isControl(byte) { throw failure("a string cannot contain the control character \(Self.codePoint(byte))") }
                index += 1
            }
        }
    }

    /// A backslash escape at `index`, appended as UTF-8.
    private mutating func escape(into text: inout [UInt8]) throws(TOMLSyntaxError) {
        let escapeStart = index
        index += 1
        guard let letter = peek() else { throw failure("the string is not closed before the end of the file") }
        index += 1
        let simple: UInt8? = switch letter {
        case UInt8(ascii: "b"): 0x08
        case UInt8(ascii: "t"): 0x09
        case UInt8(ascii: "n"): 0x0A
        case UInt8(ascii: "f"): 0x0C
        case UInt8(ascii: "r"): 0x0D
        case Self.quote: Self.quote
        case Self.backslash: Self.backslash
        default: nil
        }
        if let simple {
            text.append(simple)
            return
        }
        guard letter == UInt8(ascii: "u") || letter == UInt8(ascii: "U") else {
            index = escapeStart
            throw failure("unknown escape \\\(String(UnicodeScalar(letter))) (write \\\\ for a backslash)")
        }
        let count = letter == UInt8(ascii: "u") ? 4 : 8
        var value: UInt32 = 0
        for _ in 0..<count {
            guard let byte = peek(), let digit = Self.hexDigit(byte) else {
                index = escapeStart
                throw failure("\\\(String(UnicodeScalar(letter))) needs \(count) hexadecimal digits")
            }
            value = value << 4 | UInt32(digit)
            index += 1
        }
        guard let scalar = Unicode.Scalar(value) else {
            index = escapeStart
            throw failure("\\\(String(UnicodeScalar(letter))) names no Unicode character")
        }
        text += Array(String(Character(scalar)).utf8)
    }

    // MARK: Numbers, booleans' neighbours, dates and times

    /// A number, a date, a date-time or a time, starting at `index`.
    package mutating func scalar() throws(TOMLSyntaxError) -> TOMLValue {
        if digits(at: index, 4), peek(4) == UInt8(ascii: "-") { return try dateOrDateTime() }
        if digits(at: index, 2), peek(2) == UInt8(ascii: ":") {
            let start = index
            try time()
            return .time(String(decoding: bytes[start..<index], as: UTF8.self))
        }
        return try number()
    }

    private mutating func number() throws(TOMLSyntaxError) -> TOMLValue {
        let start = index
        while let byte = peek(), Self.isBareKey(byte) || byte == UInt8(ascii: "+") || byte == UInt8(ascii: ".") { index += 1 }
        let token = Array(bytes[start..<index])
        let written = String(decoding: token, as: UTF8.self)
        func invalid(_ why: String) -> TOMLSyntaxError {
            failure(at: start, line: line, lineStart: lineStart, "\"\(written)\" is not a number: \(why)")
        }
        var body = token[...]
        let sign = body.first == UInt8(ascii: "+") || body.first == UInt8(ascii: "-") ? body.removeFirst() : nil
        let negative = sign == UInt8(ascii: "-")
        if body.elementsEqual("inf".utf8) { return .float(negative ? -.infinity : .infinity) }
        if body.elementsEqual("nan".utf8) { return .float(.nan) }
        guard let first = body.first, Self.decimalDigit(first) != nil else {
            throw failure(at: start, line: line, lineStart: lineStart, "expected a value, found \"\(written)\" (text needs quotes: \"…\")")
        }
        if body.count > 2, body.first == UInt8(ascii: "0"), let radix = Self.radix(body[body.startIndex + 1]) {
            if sign != nil { throw invalid("a hexadecimal, octal or binary number has no sign") }
            let digits = body.dropFirst(2)
            guard Self.underscoresBetweenDigits(digits, radix: radix) else { throw invalid("not a base-\(radix) number") }
            guard let value = Int(String(decoding: digits.filter { $0 != UInt8(ascii: "_") }, as: UTF8.self), radix: radix) else {
                throw invalid("out of the integer range")
            }
            return .integer(value)
        }
        // Decimal: integer part, optional fraction, optional exponent.
        var rest = body
        let integerPart = rest.prefix { $0 != UInt8(ascii: ".") && $0 != UInt8(ascii: "e") && $0 != UInt8(ascii: "E") }
        rest = rest.dropFirst(integerPart.count)
        guard Self.underscoresBetweenDigits(integerPart, radix: 10) else {
            throw invalid(integerPart.isEmpty ? "digits must come first" : "only digits, with \"_\" between two of them")
        }
        if integerPart.count > 1 && integerPart.first == UInt8(ascii: "0") { throw invalid("a leading zero is not allowed") }
        var isFloat = false
        if rest.first == UInt8(ascii: ".") {
            isFloat = true
            rest = rest.dropFirst()
            let fraction = rest.prefix { $0 != UInt8(ascii: "e") && $0 != UInt8(ascii: "E") }
            guard Self.underscoresBetweenDigits(fraction, radix: 10) else { throw invalid("digits must follow the \".\"") }
            rest = rest.dropFirst(fraction.count)
        }
        if rest.first == UInt8(ascii: "e") || rest.first == UInt8(ascii: "E") {
            isFloat = true
            rest = rest.dropFirst()
            if rest.first == UInt8(ascii: "+") || rest.first == UInt8(ascii: "-") { rest = rest.dropFirst() }
            guard Self.underscoresBetweenDigits(rest, radix: 10) else { throw invalid("the exponent needs digits") }
            rest = rest.dropFirst(rest.count)
        }
        guard rest.isEmpty else { throw invalid("unexpected \"\(String(decoding: rest.prefix(1), as: UTF8.self))\"") }
        let clean = String(decoding: token.filter { $0 != UInt8(ascii: "_") }, as: UTF8.self)
        if isFloat {
            guard let value = Double(clean) else { throw invalid("not a floating-point number") }
            return .float(value)
        }
        guard let value = Int(clean) else { throw invalid("out of the integer range") }
        return .integer(value)
    }

    /// `1979-05-27`, `1979-05-27T07:32:00Z`, `1979-05-27 07:32:00.5+08:00`, `1979-05-27T07:32:00`.
    private mutating func dateOrDateTime() throws(TOMLSyntaxError) -> TOMLValue {
        let start = index
        guard digits(at: index + 5, 2), peek(7) == UInt8(ascii: "-"), digits(at: index + 8, 2) else {
            throw failure("a date is written YYYY-MM-DD")
        }
        let year = number(at: index, 4), month = number(at: index + 5, 2), day = number(at: index + 8, 2)
        let leap = year % 4 == 0 && (year % 100 != 0 || year % 400 == 0)
        let days = [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31]
        guard (1...12).contains(month), (1...days[month - 1]).contains(day) else {
            throw failure("\(String(decoding: bytes[index..<index + 10], as: UTF8.self)) is not a date in the calendar")
        }
        index += 10
        let separator = peek()
        let timeFollows = digits(at: index + 1, 2) && peek(3) == UInt8(ascii: ":")
        guard timeFollows, separator == UInt8(ascii: "T") || separator == UInt8(ascii: "t") || separator == UInt8(ascii: " ") else {
            return .date(String(decoding: bytes[start..<index], as: UTF8.self))
        }
        index += 1
        try time()
        if peek() == UInt8(ascii: "Z") || peek() == UInt8(ascii: "z") {
            index += 1
        } else if peek() == UInt8(ascii: "+") || peek() == UInt8(ascii: "-") {
            guard digits(at: index + 1, 2), peek(3) == UInt8(ascii: ":"), digits(at: index + 4, 2),
                number(at: index + 1, 2) < 24, number(at: index + 4, 2) < 60
            else { throw failure("a time offset is written +HH:MM or -HH:MM") }
            index += 6
        }
        return .dateTime(String(decoding: bytes[start..<index], as: UTF8.self))
    }

    /// `HH:MM:SS` with an optional fraction.
    private mutating func time() throws(TOMLSyntaxError) {
        guard digits(at: index, 2), peek(2) == UInt8(ascii: ":"), digits(at: index + 3, 2), peek(5) == UInt8(ascii: ":"),
            digits(at: index + 6, 2)
        else { throw failure("a time is written HH:MM:SS") }
        guard number(at: index, 2) < 24, number(at: index + 3, 2) < 60, number(at: index + 6, 2) <= 60 else {
            throw failure("\(String(decoding: bytes[index..<index + 8], as: UTF8.self)) is not a time of day")
        }
        index += 8
        if peek() == UInt8(ascii: ".") {
            guard digits(at: index + 1, 1) else { throw failure("digits must follow the \".\" in a time") }
            index += 1
            while let byte = peek(), Self.decimalDigit(byte) != nil { index += 1 }
        }
    }

    private func digits(at offset: Int, _ count: Int) -> Bool {
        guard offset >= 0, offset + count <= bytes.count else { return false }
        return bytes[offset..<offset + count].allSatisfy { Self.decimalDigit($0) != nil }
    }

    private func number(at offset: Int, _ count: Int) -> Int {
        bytes[offset..<offset + count].reduce(0) { $0 * 10 + Int(Self.decimalDigit($1) ?? 0) }
    }

    private static func underscoresBetweenDigits(_ text: ArraySlice<UInt8>, radix: Int) -> Bool {
        guard let first = text.first, let last = text.last, first != UInt8(ascii: "_"), last != UInt8(ascii: "_") else { return false }
        var previousWasUnderscore = false
        for byte in text {
            if byte == UInt8(ascii: "_") {
                if previousWasUnderscore { return false }
                previousWasUnderscore = true
                continue
            }
            previousWasUnderscore = false
            guard let digit = hexDigit(byte), Int(digit) < radix else { return false }
        }
        return true
    }

    private static func radix(_ letter: UInt8) -> Int? {
        switch letter {
        case UInt8(ascii: "x"): 16
        case UInt8(ascii: "o"): 8
        case UInt8(ascii: "b"): 2
        default: nil
        }
    }

    private static func decimalDigit(_ byte: UInt8) -> UInt8? {
        (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) ? byte - UInt8(ascii: "0") : nil
    }

    package static func hexDigit(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): byte - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): byte - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): byte - UInt8(ascii: "A") + 10
        default: nil
        }
    }
}
