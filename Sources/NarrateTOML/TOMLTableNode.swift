import NarrateModel
import OrderedCollections

/// A table while its document is being read: headers and dotted keys add to it later, so it is
/// shared by reference until the document is done and ``frozen()`` makes it a value.
package final class TableNode {
    /// How the table came to be, which decides what may still add to it.
    package enum Origin {
        /// Named only as the parent in a header (`a` in `[a.b]`): a later `[a]` may still define it.
        case implicit
        /// Defined by a `[header]` or `[[header]]`.
        case header
        /// Made by a dotted key (`a.b = 1` makes `a`): later dotted keys may add to it, a header may not define it.
        case dotted
        /// `{ … }`: complete once written.
        case inline
    }

    package enum Item {
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

    package let path: String
    package var origin: Origin
    package let line: Int
    private(set) var items = OrderedDictionary<String, Item>()

    package init(path: String, origin: Origin, line: Int) {
        self.path = path
        self.origin = origin
        self.line = line
    }

    package func path(_ key: String) -> String { path.isEmpty ? key : "\(path).\(key)" }

    package func add(_ key: String, _ item: Item) {
        items.updateValue(item, forKey: key)
    }

    package func frozen() -> TOMLTable {
        TOMLTable(items.mapValues { item in
            switch item {
            case .value(let value, _): value
            case .table(let node): .table(node.frozen())
            case .tables(let tables): .array(tables.elements.map { .table($0.frozen()) })
            }
        })
    }
}

/// The tables of one `[[name]]`, in order.
package final class TableListNode {
    package var elements: [TableNode] = []
}
