import NarrateModel
/// Packs rendered blocks into parts that fit a limit, cutting only between blocks, list
/// items, lines or words — never inside a code span, link, entity, escape or grapheme.
struct Splitter {
    let measure: (String) -> Int
    let limit: Int

    /// Parts joined from `blocks` with a blank line between blocks.
    func parts(_ blocks: [DialectRenderer.Block]) -> [String] {
        pack(blocks, separator: "\n\n", limit: limit)
    }

    /// Greedy packing. Every unit narrate counts (code points, UTF-16 units, bytes) adds up
    /// over concatenation, so sizes are summed rather than re-measured.
    func pack(_ blocks: [DialectRenderer.Block], separator: String, limit: Int) -> [String] {
        let separatorSize = measure(separator)
        var chunks: [String] = []
        var current: [DialectRenderer.Block] = []
        var size = 0
        func flush() {
            if !current.isEmpty { chunks.append(current.map(\.text).joined(separator: separator)) }
            current = []
            size = 0
        }
        func add(_ block: DialectRenderer.Block, _ blockSize: Int) {
            size += (current.isEmpty ? 0 : separatorSize) + blockSize
            current.append(block)
        }
        for block in blocks {
            let blockSize = measure(block.text)
            if blockSize > limit {
                flush()
                chunks += split(block, limit: limit)
                continue
            }
            if size + (current.isEmpty ? 0 : separatorSize) + blockSize > limit {
                // A heading stays with what follows it.
                var carried: DialectRenderer.Block?
                if let last = current.last, last.isHeading, current.count > 1 {
                    carried = current.removeLast()
                }
                flush()
                if let carried {
                    let carriedSize = measure(carried.text)
                    if carriedSize + separatorSize + blockSize <= limit {
                        add(carried, carriedSize)
                    } else {
                        chunks.append(carried.text)
                    }
                }
            }
            add(block, blockSize)
        }
        flush()
        return chunks.filter { $0.unicodeScalars.contains { !$0.properties.isWhitespace } }
    }

    /// Cuts one block that alone exceeds `limit`: by its pieces, else by safe character runs.
    func split(_ block: DialectRenderer.Block, limit: Int) -> [String] {
        let overhead = measure(block.wrap(""))
        let room = limit - overhead
        guard !block.pieces.isEmpty, room > 0 else { return hardSplit(block.text, limit: limit) }
        let inner = pack(block.pieces, separator: block.separator, limit: room)
        return inner.map { block.wrap(Self.trimmingSpaces($0)) }
    }

    /// `text` without spaces and tabs at either end (as `CharacterSet.whitespaces`, without Foundation).
    static func trimmingSpaces(_ text: String) -> String {
        func isSpace(_ scalar: Unicode.Scalar) -> Bool { scalar == "\t" || scalar.properties.generalCategory == .spaceSeparator }
        let scalars = text.unicodeScalars
        guard let first = scalars.firstIndex(where: { !isSpace($0) }) else { return "" }
        let last = scalars.lastIndex(where: { !isSpace($0) })!
        if first == scalars.startIndex && last == scalars.index(before: scalars.endIndex) { return text }
        return String(scalars[first...last])
    }

    /// Cuts text at character boundaries, keeping `&…;` entities, `<…>` tags and `\x` escapes whole.
    func hardSplit(_ text: String, limit: Int) -> [String] {
        var units: [String] = []
        var index = text.startIndex
        while index < text.endIndex {
            let character = text[index]
            var end = text.index(after: index)
            if character == "\\", end < text.endIndex {
                end = text.index(after: end)
            } else if character == "&", let semicolon = text[index...].prefix(12).firstIndex(of: ";") {
                end = text.index(after: semicolon)
            } else if character == "<", let close = text[index...].firstIndex(of: ">"),
                !text[text.index(after: index)..<close].contains("<"), measure(String(text[index...close])) <= limit
            {
                // A tag or a `<url|text>` link; a lone `<` before one is a character of its own.
                end = text.index(after: close)
            }
            units.append(String(text[index..<end]))
            index = end
        }
        var chunks: [String] = []
        var current = ""
        var size = 0
        for unit in units {
            let unitSize = measure(unit)
            if !current.isEmpty && size + unitSize > limit {
                chunks.append(current)
                current = ""
                size = 0
            }
            current += unit
            size += unitSize
        }
        if !current.isEmpty { chunks.append(current) }
        return chunks
    }
}

import Foundation
