/// Converts a CommonMark report into the parts one target will receive.
public struct MessageFormatter: Sendable {
    public let dialect: Dialect
    /// The part size in the dialect's unit.
    public let limit: Int

    /// Room kept for the `(1/3)` marker at the end of each part.
    static let numberingReserve = 16

    public init(dialect: Dialect, limit: Int? = nil) {
        self.dialect = dialect
        self.limit = min(limit ?? dialect.limit, dialect.limit)
    }

    /// The parts, each within ``limit``, numbered `(1/3)` when there is more than one.
    public func parts(_ markdown: String) -> [String] {
        // CommonMark that fits goes out exactly as rendered.
        if dialect == .commonmark && dialect.measure(markdown) <= limit { return [markdown] }
        let document = MarkdownDocument(parsing: markdown)
        let renderer = DialectRenderer(dialect: dialect)
        let blocks = renderer.blocks(document)
        let whole = Splitter(measure: dialect.measure, limit: limit).parts(blocks)
        guard whole.count > 1 else { return whole }
        let reserve = min(Self.numberingReserve, max(0, limit / 4))
        let parts = Splitter(measure: dialect.measure, limit: limit - reserve).parts(blocks)
        return parts.enumerated().map { index, part in
            let marker = "(\(index + 1)/\(parts.count))"
            return part + "\n\n" + (dialect == .matrix ? "<p>\(marker)</p>" : marker)
        }
    }
}
