/// Converts a parsed CommonMark document into one dialect's text, block by block, keeping
/// for each block the smaller pieces it may be cut into when it alone exceeds a limit.
struct DialectRenderer {
    /// A rendered block and how to cut it: `pieces` joined by `separator`, then `wrap`ped.
    struct Block {
        var text: String
        var pieces: [Block] = []
        var separator: String = ""
        var wrap: @Sendable (String) -> String = { $0 }
        var isHeading = false
    }

    typealias Node = MarkdownDocument.Node

    let dialect: Dialect
    let syntax: DialectSyntax

    init(dialect: Dialect) {
        self.dialect = dialect
        syntax = DialectSyntax.syntax(for: dialect)
    }

    func blocks(_ document: MarkdownDocument) -> [Block] {
        document.root.children.compactMap(block)
    }

    func block(_ node: Node) -> Block? {
        switch node.type {
        case "heading":
            let text = inline(node.children).joined()
            return Block(text: syntax.heading(node.level, text), isHeading: true)
        case "paragraph":
            return paragraph(node.children)
        case "list":
            return list(node, depth: 0)
        case "block_quote":
            let inner = node.children.compactMap(block)
            let lines = inner.flatMap { $0.text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init) }
            if syntax.isHTML {
                let wrap: @Sendable (String) -> String = { "<blockquote>\($0)</blockquote>" }
                return Block(text: wrap(lines.joined(separator: "\n")), pieces: lines.map { Block(text: $0) },
                             separator: "\n", wrap: wrap)
            }
            let quoted = lines.map { syntax.quoteLine($0) }
            return Block(text: quoted.joined(separator: "\n"), pieces: quoted.map { Block(text: $0) }, separator: "\n")
        case "code_block":
            let code = (node.literal ?? "").hasSuffix("\n") ? String((node.literal ?? "").dropLast()) : (node.literal ?? "")
            let escaped = syntax.isHTML ? DialectSyntax.htmlEscape(code) : code
            let fence = syntax.codeBlock
            let lines = escaped.split(separator: "\n", omittingEmptySubsequences: false).map { Block(text: String($0)) }
            return Block(text: fence(escaped), pieces: lines, separator: "\n", wrap: fence)
        case "thematic_break":
            return Block(text: dialect == .matrix ? "<hr>" : syntax.rule)
        case "table":
            return table(node)
        case "html_block":
            return Block(text: syntax.escape((node.literal ?? "").trimmingCharacters(in: .newlines)))
        default:
            let text = node.plainText
            return text.isEmpty ? nil : Block(text: syntax.escape(text))
        }
    }

    func paragraph(_ children: [Node]) -> Block {
        let tokens = inline(children)
        var block = Block(text: tokens.joined(), pieces: tokens.map { Block(text: $0) }, separator: "")
        if dialect == .matrix {
            let wrap: @Sendable (String) -> String = { "<p>\($0)</p>" }
            block.wrap = wrap
            block.text = wrap(block.text)
        }
        return block
    }

    func list(_ node: Node, depth: Int) -> Block {
        let ordered = node.ordered
        var items: [Block] = []
        for (index, item) in node.children.enumerated() where item.type == "item" {
            let marker = ordered ? "\(node.start + index). " : syntax.bullet
            var lines: [String] = []
            var pieces: [Block] = []
            for child in item.children {
                if child.type == "list" {
                    var nested = list(child, depth: depth + 1)
                    lines.append(nested.text)
                    if dialect != .matrix { nested.text = "\n" + nested.text }
                    pieces.append(nested)
                } else if child.type == "paragraph" {
                    let tokens = inline(child.children)
                    if !lines.isEmpty { pieces.append(Block(text: "\n")) }
                    lines.append(tokens.joined())
                    pieces.append(contentsOf: tokens.map { Block(text: $0) })
                } else if let rendered = block(child) {
                    lines.append(rendered.text)
                    pieces.append(contentsOf: rendered.pieces.isEmpty ? [rendered] : rendered.pieces)
                }
            }
            let indent = dialect == .matrix ? "" : String(repeating: "  ", count: depth)
            let body = lines.joined(separator: "\n")
            if dialect == .matrix {
                let wrap: @Sendable (String) -> String = { "<li>\($0)</li>" }
                items.append(Block(text: wrap(body), pieces: pieces, separator: "", wrap: wrap))
            } else {
                let prefix = indent + marker
                let wrap: @Sendable (String) -> String = { prefix + $0 }
                items.append(Block(text: wrap(body), pieces: pieces, separator: "", wrap: wrap))
            }
        }
        if dialect == .matrix {
            let tag = ordered ? "ol" : "ul"
            let wrap: @Sendable (String) -> String = { "<\(tag)>\($0)</\(tag)>" }
            return Block(text: wrap(items.map(\.text).joined()), pieces: items, separator: "", wrap: wrap)
        }
        return Block(text: items.map(\.text).joined(separator: "\n"), pieces: items, separator: "\n")
    }

    func table(_ node: Node) -> Block {
        let rows = node.children.filter { $0.type == "table_row" || $0.type == "table_header" }
        guard let header = rows.first else { return Block(text: "") }
        let headerCells = header.children.map { inline($0.children).joined() }
        let body = rows.dropFirst().map { row in row.children.map { inline($0.children).joined() } }
        if syntax.tables {
            let head = "| " + headerCells.joined(separator: " | ") + " |\n|" + String(repeating: "---|", count: headerCells.count)
            let lines = body.map { "| " + $0.joined(separator: " | ") + " |" }
            let wrap: @Sendable (String) -> String = { head + "\n" + $0 }
            return Block(text: wrap(lines.joined(separator: "\n")), pieces: lines.map { Block(text: $0) }, separator: "\n", wrap: wrap)
        }
        // No tables here: each row becomes a list item, "First cell: Header value · Header value".
        let items = body.map { cells -> Block in
            var parts: [String] = []
            for (index, cell) in cells.enumerated().dropFirst() where !cell.isEmpty {
                let label = index < headerCells.count ? headerCells[index] : ""
                parts.append(label.isEmpty ? cell : "\(label) \(cell)")
            }
            let text = syntax.strong(cells.first ?? "") + (parts.isEmpty ? "" : ": " + parts.joined(separator: " · "))
            return Block(text: dialect == .matrix ? "<li>\(text)</li>" : syntax.bullet + text)
        }
        if dialect == .matrix {
            let wrap: @Sendable (String) -> String = { "<ul>\($0)</ul>" }
            return Block(text: wrap(items.map(\.text).joined()), pieces: items, separator: "", wrap: wrap)
        }
        return Block(text: items.map(\.text).joined(separator: "\n"), pieces: items, separator: "\n")
    }

    /// Inline content as tokens: each word, space or formatted span is one token, so a long
    /// paragraph can be cut between tokens but never inside a link, a code span or an entity.
    func inline(_ nodes: [Node]) -> [String] {
        var tokens: [String] = []
        for node in nodes {
            switch node.type {
            case "text":
                tokens += words(node.literal ?? "")
            case "softbreak":
                tokens.append(" ")
            case "linebreak":
                tokens.append("\n")
            case "code":
                let literal = node.literal ?? ""
                tokens.append(syntax.code(syntax.isHTML ? DialectSyntax.htmlEscape(literal) : dialect == .slack || dialect == .googleChat ? literal.replacingOccurrences(of: "`", with: "'") : literal))
            case "strong":
                tokens.append(syntax.strong(inline(node.children).joined()))
            case "emph":
                tokens.append(syntax.emphasis(inline(node.children).joined()))
            case "strikethrough":
                tokens.append(syntax.strike(inline(node.children).joined()))
            case "link", "image":
                let text = inline(node.children).joined()
                tokens.append(syntax.link(text.isEmpty ? syntax.escape(node.url ?? "") : text, node.url ?? ""))
            case "html_inline":
                tokens += words(node.literal ?? "")
            default:
                tokens += inline(node.children)
            }
        }
        return tokens
    }

    func words(_ text: String) -> [String] {
        var tokens: [String] = []
        var first = true
        for word in text.utf8.split(separator: UInt8(ascii: " "), omittingEmptySubsequences: false) {
            if !first { tokens.append(" ") }
            first = false
            if !word.isEmpty { tokens.append(syntax.escape(String(decoding: word, as: UTF8.self))) }
        }
        return tokens
    }
}
