/// A table while its document is being read: headers and dotted keys add to it later, so it is
/// shared by reference until the document is done and ``frozen()`` makes it a value.
final class TableNode {
    /// How the table came to be, which decides what may still add to it.
    enum Origin {
        /// Named only as the parent in a header (`a` in `[a.b]`): a later `[a]` may still define it.
        case implicit
        /// Defined by a `[header]` or `[[header]]`.
        case header
        /// Made by a dotted key (`a.b = 1` makes `a`): later dotted keys may add to it, a header may not define it.
        case dotted
        /// `{ … }`: complete once written.
        case inline
    }

    enum Item {
        case value(TOMLValue, line: Int)
        case table(TableNode)
        case tables(TableListNode)

        var line: Int {
            switch self {
            case .value(_, let line): line
            case .table(let table): table.line
            case .tables(let list): list.elements.first?.line ?? 1
            }
        }
    }

    let path: String
    var origin: Origin
    let line: Int
    private(set) var keys: [String] = []
    private(set) var items: [String: Item] = [:]

    init(path: String, origin: Origin, line: Int) {
        self.path = path
        self.origin = origin
        self.line = line
    }

    func path(_ key: String) -> String { path.isEmpty ? key : "\(path).\(key)" }

    func add(_ key: String, _ item: Item) {
        if items.updateValue(item, forKey: key) == nil { keys.append(key) }
    }

    func frozen() -> TOMLTable {
        var table = TOMLTable()
        for key in keys {
            switch items[key] {
            case .value(let value, _)?: table[key] = value
            case .table(let node)?: table[key] = .table(node.frozen())
            case .tables(let list)?: table[key] = .array(list.elements.map { .table($0.frozen()) })
            case nil: break
            }
        }
        return table
    }
}

/// The tables of one `[[name]]`, in order.
final class TableListNode {
    var elements: [TableNode] = []
}
