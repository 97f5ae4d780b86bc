import NarrateModel
/// Converts a parsed CommonMark document into one dialect's text, block by block, keeping
/// for each block the smaller pieces it may be cut into when it alone exceeds a limit.
struct DialectRenderer {
    /// A rendered block and how to cut it: `pieces` joined by `separator`, then `wrap`ped.
    struct Block {
        var text: String
        var separator: String = ""
        var wrap: @Sendable (String) -> String = { $0 }
        var isHeading = false
        /// Makes the pieces. Only a block that alone exceeds a part's limit is cut, so they are
        /// made then: making them for every word of every block was most of the formatting.
        var cut: (() -> [Block])?

        var pieces: [Block] { cut?() ?? [] }
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
            let text = inlineText(node.children)
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
                return Block(text: wrap(lines.joined(separator: "\n")), separator: "\n", wrap: wrap, cut: { lines.map { Block(text: $0) } })
            }
            let quoted = lines.map { syntax.quoteLine($0) }
            return Block(text: quoted.joined(separator: "\n"), separator: "\n", cut: { quoted.map { Block(text: $0) } })
        case "code_block":
            let code = (node.literal ?? "").hasSuffix("\n") ? String((node.literal ?? "").dropLast()) : (node.literal ?? "")
            let escaped = syntax.isHTML ? DialectSyntax.htmlEscape(code) : code
            let fence = syntax.codeBlock
            return Block(text: fence(escaped), separator: "\n", wrap: fence, cut: {
                escaped.split(separator: "\n", omittingEmptySubsequences: false).map { Block(text: String($0)) }
            })
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
        var block = Block(text: inlineText(children), cut: { inlineTokens(children).map { Block(text: $0) } })
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
            for child in item.children {
                if child.type == "list" {
                    lines.append(list(child, depth: depth + 1).text)
                } else if child.type == "paragraph" {
                    lines.append(inlineText(child.children))
                } else if let rendered = block(child) {
                    lines.append(rendered.text)
                }
            }
            let indent = dialect == .matrix ? "" : String(repeating: "  ", count: depth)
            let body = lines.joined(separator: "\n")
            let cut = { itemPieces(item, depth: depth) }
            if dialect == .matrix {
                let wrap: @Sendable (String) -> String = { "<li>\($0)</li>" }
                items.append(Block(text: wrap(body), wrap: wrap, cut: cut))
            } else {
                let prefix = indent + marker
                let wrap: @Sendable (String) -> String = { prefix + $0 }
                items.append(Block(text: wrap(body), wrap: wrap, cut: cut))
            }
        }
        if dialect == .matrix {
            let tag = ordered ? "ol" : "ul"
            let wrap: @Sendable (String) -> String = { "<\(tag)>\($0)</\(tag)>" }
            return Block(text: wrap(items.map(\.text).joined()), wrap: wrap, cut: { items })
        }
        return Block(text: items.map(\.text).joined(separator: "\n"), separator: "\n", cut: { items })
    }

    /// What one list item may be cut into: its words, its nested lists' items, its other blocks.
    func itemPieces(_ item: Node, depth: Int) -> [Block] {
        var pieces: [Block] = []
        var hasLines = false
        for child in item.children {
            if child.type == "list" {
                var nested = list(child, depth: depth + 1)
                if dialect != .matrix { nested.text = "\n" + nested.text }
                pieces.append(nested)
            } else if child.type == "paragraph" {
                if hasLines { pieces.append(Block(text: "\n")) }
                pieces.append(contentsOf: inlineTokens(child.children).map { Block(text: $0) })
            } else if let rendered = block(child) {
                let inner = rendered.pieces
                pieces.append(contentsOf: inner.isEmpty ? [rendered] : inner)
            } else {
                continue
            }
            hasLines = true
        }
        return pieces
    }

    func table(_ node: Node) -> Block {
        let rows = node.children.filter { $0.type == "table_row" || $0.type == "table_header" }
        guard let header = rows.first else { return Block(text: "") }
        let headerCells = header.children.map { inlineText($0.children) }
        let body = rows.dropFirst().map { row in row.children.map { inlineText($0.children) } }
        if syntax.tables {
            let head = "| " + headerCells.joined(separator: " | ") + " |\n|" + String(repeating: "---|", count: headerCells.count)
            let lines = body.map { "| " + $0.joined(separator: " | ") + " |" }
            let wrap: @Sendable (String) -> String = { head + "\n" + $0 }
            return Block(text: wrap(lines.joined(separator: "\n")), separator: "\n", wrap: wrap, cut: { lines.map { Block(text: $0) } })
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
            return Block(text: wrap(items.map(\.text).joined()), wrap: wrap, cut: { items })
        }
        return Block(text: items.map(\.text).joined(separator: "\n"), separator: "\n", cut: { items })
    }

    /// Inline content as one string.
    func inlineText(_ nodes: [Node]) -> String {
        var text = JoinedInline()
        inline(nodes, into: &text)
        return text.text
    }

    /// Inline content as tokens: each word, space or formatted span is one token, so a long
    /// paragraph can be cut between tokens but never inside a link, a code span or an entity.
    func inlineTokens(_ nodes: [Node]) -> [String] {
        var tokens = InlineTokens()
        inline(nodes, into: &tokens)
        return tokens.tokens
    }

    private func inline<Output: InlineOutput>(_ nodes: [Node], into output: inout Output) {
        for node in nodes {
            switch node.type {
            case "text", "html_inline":
                output.words(node.literal ?? "", syntax.escape)
            case "softbreak":
                output.token(" ")
            case "linebreak":
                output.token("\n")
            case "code":
                let literal = node.literal ?? ""
                output.token(syntax.code(syntax.isHTML ? DialectSyntax.htmlEscape(literal) : dialect == .slack || dialect == .googleChat ? literal.replacingOccurrences(of: "`", with: "'") : literal))
            case "strong":
                output.token(syntax.strong(inlineText(node.children)))
            case "emph":
                output.token(syntax.emphasis(inlineText(node.children)))
            case "strikethrough":
                output.token(syntax.strike(inlineText(node.children)))
            case "link", "image":
                let text = inlineText(node.children)
                output.token(syntax.link(text.isEmpty ? syntax.escape(node.url ?? "") : text, node.url ?? ""))
            default:
                inline(node.children, into: &output)
            }
        }
    }
}

/// Where ``DialectRenderer`` writes inline content: one string, or tokens to cut between.
private protocol InlineOutput {
    mutating func token(_ text: String)
    /// Plain text, escaped.
    mutating func words(_ text: String, _ escape: (String) -> String)
}

private struct JoinedInline: InlineOutput {
    var text = ""

    mutating func token(_ token: String) { text += token }

    /// The escapes replace single ASCII bytes other than the space, so escaping the whole text
    /// is the same as escaping each word.
    mutating func words(_ words: String, _ escape: (String) -> String) { text += escape(words) }
}

private struct InlineTokens: InlineOutput {
    var tokens: [String] = []

    mutating func token(_ token: String) { tokens.append(token) }

    /// A token per word and per space.
    mutating func words(_ text: String, _ escape: (String) -> String) {
        var first = true
        for word in text.utf8.split(separator: UInt8(ascii: " "), omittingEmptySubsequences: false) {
            if !first { tokens.append(" ") }
            first = false
            if !word.isEmpty { tokens.append(escape(String(decoding: word, as: UTF8.self))) }
        }
    }
}
