import NarrateModel
/// Converts a CommonMark report into the parts one target will receive.
public struct MessageFormatter: Sendable {
    public let dialect: Dialect
    /// The part size in the dialect's unit.
    public let limit: Int

    public init(dialect: Dialect, limit: Int? = nil) {
        self.dialect = dialect
        self.limit = min(limit ?? dialect.limit, dialect.limit)
    }

    /// The parts, each within ``limit``, numbered `(1/3)` when there is more than one.
    public func parts(_ markdown: String) -> [String] {
        parts(markdown, document: nil)
    }

    /// The same, with the document already parsed (one parse serves every dialect of a report).
    public func parts(_ markdown: String, document parsed: MarkdownDocument?) -> [String] {
        // CommonMark that fits goes out exactly as rendered.
        if dialect == .commonmark && dialect.measure(markdown) <= limit { return [markdown] }
        let document = parsed ?? MarkdownDocument(parsing: markdown)
        let renderer = DialectRenderer(dialect: dialect)
        let blocks = renderer.blocks(document)
        let separator = dialect.measure("\n\n")
        let total = blocks.reduce(0) { $0 + dialect.measure($1.text) + separator }
        // What fits whole goes out whole, in one pass.
        if total <= limit + separator { return Splitter(measure: dialect.measure, limit: limit).parts(blocks) }
        // Room for the marker, measured as it will be written; more parts may need a longer one.
        var count = max(2, (total + limit - 1) / limit)
        while true {
            let reserve = dialect.measure(suffix(count, of: count))
            let parts = Splitter(measure: dialect.measure, limit: max(1, limit - reserve)).parts(blocks)
            if String(parts.count).count > String(count).count {
                count = parts.count
                continue
            }
            return parts.enumerated().map { index, part in part + suffix(index + 1, of: parts.count) }
        }
    }

    /// What ends part `number` of `count`: a blank line and `(2/3)`.
    func suffix(_ number: Int, of count: Int) -> String {
        let marker = "(\(number)/\(count))"
        return "\n\n" + (dialect == .matrix ? "<p>\(marker)</p>" : marker)
    }
}
