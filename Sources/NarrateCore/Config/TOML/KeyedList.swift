/// Values by key, in the order their keys were first written: the storage of a TOML table.
///
/// Why not a dictionary: a config's tables are small (a person has three keys), and a
/// dictionary hashed every key on every insert and lookup, and again when the parse's tables
/// were frozen into values — a sixth of reading a 1,000-person config. Up to
/// ``indexedFrom`` keys are searched in order (comparing short strings is cheaper than hashing
/// them); a larger table keeps an index as well.
struct KeyedList<Value> {
    private(set) var keys: [String] = []
    private(set) var values: [Value] = []
    /// Position by key, once the table has ``indexedFrom`` keys.
    private var positions: [String: Int]?
    static var indexedFrom: Int { 16 }

    init() {}

    func position(of key: String) -> Int? {
        if let positions { return positions[key] }
        return keys.firstIndex(of: key)
    }

    subscript(key: String) -> Value? {
        position(of: key).map { values[$0] }
    }

    /// Sets the value of `key` (appending the key when new); returns the value it replaces.
    @discardableResult
    mutating func updateValue(_ value: Value, forKey key: String) -> Value? {
        if let position = position(of: key) {
            defer { values[position] = value }
            return values[position]
        }
        appendNew(value, forKey: key)
        return nil
    }

    /// Appends a key the list does not have (a table being copied), without looking for it.
    mutating func appendNew(_ value: Value, forKey key: String) {
        keys.append(key)
        values.append(value)
        if positions != nil {
            positions![key] = keys.count - 1
        } else if keys.count == Self.indexedFrom {
            positions = Dictionary(uniqueKeysWithValues: keys.enumerated().map { ($1, $0) })
        }
    }

    /// Removes `key` and its value; returns the value.
    @discardableResult
    mutating func removeValue(forKey key: String) -> Value? {
        guard let position = position(of: key) else { return nil }
        keys.remove(at: position)
        let value = values.remove(at: position)
        if positions != nil {
            positions = keys.count >= Self.indexedFrom ? Dictionary(uniqueKeysWithValues: keys.enumerated().map { ($1, $0) }) : nil
        }
        return value
    }
}

extension KeyedList: Sendable where Value: Sendable {}

extension KeyedList: Equatable where Value: Equatable {
    /// The same keys in the same order with the same values (the index is derived from them).
    static func == (lhs: Self, rhs: Self) -> Bool { lhs.keys == rhs.keys && lhs.values == rhs.values }
}
