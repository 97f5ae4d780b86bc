import NarrateModel
import CCmarkGFM
#if canImport(Glibc)
import Glibc
#endif
import Synchronization

/// A CommonMark (GFM) document parsed by cmark-gfm, copied into plain Swift values.
///
/// Reports are checked and converted through this tree, never with regular expressions.
public struct MarkdownDocument: Sendable {
    /// One node of the tree. `type` is cmark's name: `document`, `heading`, `paragraph`,
    /// `list`, `item`, `text`, `strong`, `emph`, `code`, `link`, `table`, `table_row`, …
    public struct Node: Sendable, Equatable {
        public var type: String
        public var literal: String?
        public var level: Int
        public var url: String?
        /// For a list: numbered (`1.`) rather than bulleted, and its first number.
        public var ordered = false
        public var start = 1
        /// The line it starts on in the source.
        public var line = 0
        public var children: [Node]

        /// All text below this node, as a reader would see it.
        public var plainText: String {
            if let literal, children.isEmpty { return literal }
            if type == "softbreak" || type == "linebreak" { return " " }
            return children.map(\.plainText).joined()
        }

        /// This node and every node below it, depth first.
        public var descendants: [Node] {
            [self] + children.flatMap(\.descendants)
        }
    }

    public let root: Node

    /// cmark-gfm is not safe to use from two threads at once (its extension registry and
    /// parser share global state; concurrent parses trip its assertions), and reports are
    /// rendered in parallel: one parse at a time, copied out before the lock is let go.
    private static let lock = Mutex(())

    public init(parsing markdown: String) {
        root = Self.lock.withLock { _ in Self.parse(markdown) }
    }

    /// cmark-gfm's own HTML for `markdown` (tables, strikethrough, autolinks, task lists). Raw
    /// HTML in the input is not passed through (cmark's safe default).
    public static func html(_ markdown: String) -> String {
        lock.withLock { _ in
            parsed(markdown) { document, parser in
                guard let rendered = cmark_render_html(document, CMARK_OPT_DEFAULT, cmark_parser_get_syntax_extensions(parser)) else { return "" }
                defer { free(rendered) }
                return String(cString: rendered)
            }
        }
    }

    private static func parse(_ markdown: String) -> Node {
        parsed(markdown) { document, _ in copy(document) }
    }

    /// Parses with the GFM extensions and hands the tree (and its parser) to `body`; both are
    /// freed afterwards. Callers hold ``lock``.
    private static func parsed<T>(_ markdown: String, _ body: (OpaquePointer, OpaquePointer) -> T) -> T {
        cmark_gfm_core_extensions_ensure_registered()
        let parser = cmark_parser_new(CMARK_OPT_DEFAULT)!
        defer { cmark_parser_free(parser) }
        for name in ["table", "strikethrough", "autolink", "tasklist"] {
            if let extensionPointer = cmark_find_syntax_extension(name) {
                cmark_parser_attach_syntax_extension(parser, extensionPointer)
            }
        }
        markdown.withCString { cmark_parser_feed(parser, $0, strlen($0)) }
        let document = cmark_parser_finish(parser)!
        defer { cmark_node_free(document) }
        return body(document, parser)
    }

    private static func copy(_ node: OpaquePointer) -> Node {
        let type = String(cString: cmark_node_get_type_string(node))
        var children: [Node] = []
        var child = cmark_node_first_child(node)
        while let current = child {
            children.append(copy(current))
            child = cmark_node_next(current)
        }
        let literal = cmark_node_get_literal(node).map { String(cString: $0) }
        let url = type == "link" || type == "image" ? cmark_node_get_url(node).map { String(cString: $0) } : nil
        let level = type == "heading" ? Int(cmark_node_get_heading_level(node)) : 0
        var copied = Node(type: type, literal: literal, level: level, url: url, children: children)
        copied.line = Int(cmark_node_get_start_line(node))
        if type == "list" {
            copied.ordered = cmark_node_get_list_type(node) == CMARK_ORDERED_LIST
            copied.start = max(1, Int(cmark_node_get_list_start(node)))
        }
        return copied
    }
}

import Foundation
