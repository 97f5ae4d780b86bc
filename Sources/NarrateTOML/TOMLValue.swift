import NarrateModel
import OrderedCollections

/// A value read from a TOML document (TOML 1.0).
///
/// Dates and times are kept as written: the config has no key that takes one, so they only need
/// to be recognised and named in a "wrong type" message.
package enum TOMLValue: Sendable, Equatable {
    case string(String)
    case integer(Int)
    case float(Double)
    case bool(Bool)
    case dateTime(String)
    case date(String)
    case time(String)
    case array([TOMLValue])
    case table(TOMLTable)

    package var type: TOMLType {
        switch self {
        case .string: .string
        case .integer: .int
        case .float: .double
        case .bool: .bool
        case .dateTime: .dateTime
        case .date: .date
        case .time: .time
        case .array: .array
        case .table: .table
        }
    }

    package var string: String? { if case .string(let value) = self { value } else { nil } }
    package var int: Int? { if case .integer(let value) = self { value } else { nil } }
    package var double: Double? { if case .float(let value) = self { value } else { nil } }
    package var bool: Bool? { if case .bool(let value) = self { value } else { nil } }
    package var array: [TOMLValue]? { if case .array(let value) = self { value } else { nil } }
    package var table: TOMLTable? { if case .table(let value) = self { value } else { nil } }
}

/// The kinds of TOML value, as a "wrong type" message names them.
package enum TOMLType: Sendable {
    case table, array, string, int, double, bool, date, time, dateTime
}

/// A TOML table: keys in the order they were written, each with its value.
package struct TOMLTable: Sendable, Equatable, Sequence {
    private var list = OrderedDictionary<String, TOMLValue>()

    package init() {}

    package init(_ list: OrderedDictionary<String, TOMLValue>) { self.list = list }

    package init(_ pairs: [(String, TOMLValue)]) {
        for (key, value) in pairs { self[key] = value }
    }

    package var keys: [String] { list.keys.elements }

    package subscript(key: String) -> TOMLValue? {
        get { list[key] }
        set {
            if let newValue {
                list.updateValue(newValue, forKey: key)
            } else {
                list.removeValue(forKey: key)
            }
        }
    }

    package var isEmpty: Bool { list.isEmpty }

    package func makeIterator() -> OrderedDictionary<String, TOMLValue>.Iterator { list.makeIterator() }
}
