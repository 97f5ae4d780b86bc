/// A report's template values as a tree of known cases, read once from the `[String: Any]` the
/// contexts build, so rendering looks names up without a dynamic cast each time.
///
/// Each case keeps what swift-mustache would make of the value it came from (see
/// ``FastTemplate``): how it prints, and whether a section shows it, pushes it or loops over it.
indirect enum TemplateValue {
    /// A string or a number: printed as Swift describes it; a section over it pushes it.
    case text(String)
    case flag(Bool)
    /// `original` is what it prints as (nothing bundled prints a list or an object).
    case list([TemplateValue], original: Any)
    case object([String: TemplateValue], original: Any)
    /// A present key whose value is an empty Optional: prints "nil", a section over it pushes it.
    case null

    /// Nil for a value of a kind the fast renderer does not know (it then renders with swift-mustache).
    init?(_ value: Any) {
        switch value {
        case let text as String:
            self = .text(text)
        case let object as [String: Any]:
            guard let converted = TemplateValue(object: object) else { return nil }
            self = converted
        case let flag as Bool:
            self = .flag(flag)
        case let number as Int:
            self = .text(String(number))
        case let number as Double:
            self = .text(String(describing: number))
        case let list as [[String: Any]]:
            // The contexts' lists of objects: cast as they are (a cast to `[Any]` copies the array).
            var values: [TemplateValue] = []
            values.reserveCapacity(list.count)
            for object in list {
                guard let converted = TemplateValue(object: object) else { return nil }
                values.append(converted)
            }
            self = .list(values, original: list)
        case let list as [Any]:
            var values: [TemplateValue] = []
            values.reserveCapacity(list.count)
            for value in list {
                guard let converted = TemplateValue(value) else { return nil }
                values.append(converted)
            }
            self = .list(values, original: list)
        default:
            // An Optional inside `Any`: the casts above see through a present one; an empty one is null.
            guard Mirror(reflecting: value).displayStyle == .optional else { return nil }
            self = .null
        }
    }

    private init?(object: [String: Any]) {
        var values: [String: TemplateValue] = [:]
        values.reserveCapacity(object.count)
        for (key, value) in object {
            guard let converted = TemplateValue(value) else { return nil }
            values[key] = converted
        }
        self = .object(values, original: object)
    }

    /// What `{{name}}` prints: `String(describing:)` of the value, as swift-mustache does.
    var printed: String {
        switch self {
        case .text(let text): text
        case .flag(let flag): flag ? "true" : "false"
        case .list(_, let original), .object(_, let original): String(describing: original)
        case .null: "nil"
        }
    }

    /// The value of `name` when this value is on the context stack (only objects have names).
    func child(_ name: String) -> TemplateValue? {
        if case .object(let values, _) = self { return values[name] }
        return nil
    }
}
