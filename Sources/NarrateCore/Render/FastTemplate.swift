import Mustache

/// A compiled Mustache template rendered over ``TemplateValue``s: the bundled templates take this
/// path, overrides keep swift-mustache's.
///
/// Why: swift-mustache looks every name up through several dynamic protocol casts per frame of
/// the context stack, and that was a fifth of a 50-team cycle. The tokens are swift-mustache's own
/// (read from its compiled template), so whitespace and standalone lines are exactly its; the
/// rendering rules below follow its `Template+Render.swift` and `Context.swift`, and a test renders
/// every bundled template both ways and compares. A template using anything else (lambdas,
/// transforms other than `first()`/`last()`, inheritance) is not compiled here (`init` is nil).
struct FastTemplate: Sendable {
    indirect enum Node: Sendable {
        case text(String)
        case variable(Name, escaped: Bool)
        case section(Name, [Node])
        case inverted(Name, [Node])
        case partial(String, indentation: String?)
        /// `{{% CONTENT_TYPE: … }}`: whether variables are HTML-escaped from here on.
        case contentType(html: Bool)
    }

    /// A tag's name: a dotted path, `.`, or the current loop's `first()` or `last()`.
    enum Name: Sendable, Equatable {
        case path([String], fromTop: Bool)
        case current
        case first
        case last
    }

    let nodes: [Node]

    init?(_ template: MustacheTemplate) {
        guard let nodes = Self.nodes(of: template) else { return nil }
        self.nodes = nodes
    }

    /// The template's tokens, read with `Mirror` (swift-mustache keeps them internal).
    private static func nodes(of template: MustacheTemplate) -> [Node]? {
        guard let tokens = Mirror(reflecting: template).children.first(where: { $0.label == "tokens" })?.value as? [Any]
        else { return nil }
        var nodes: [Node] = []
        for token in tokens {
            guard let node = node(token) else { return nil }
            nodes.append(node)
        }
        return nodes
    }

    private static func node(_ token: Any) -> Node? {
        let mirror = Mirror(reflecting: token)
        guard mirror.displayStyle == .enum, let (label, payload) = mirror.children.first.map({ ($0.label, $0.value) })
        else { return nil }
        let fields = Dictionary(
            Mirror(reflecting: payload).children.map { ($0.label ?? "", $0.value) }, uniquingKeysWith: { first, _ in first })
        func name() -> Name? {
            guard let name = fields["name"] as? String, let transforms = fields["transforms"] as? [String] else { return nil }
            return Self.name(name, transforms)
        }
        func children() -> [Node]? {
            (fields["template"] as? MustacheTemplate).flatMap(nodes(of:))
        }
        switch label {
        case "text":
            return (payload as? String).map(Node.text)
        case "variable", "unescapedVariable":
            return name().map { .variable($0, escaped: label == "variable") }
        case "section":
            guard let name = name(), let children = children() else { return nil }
            return .section(name, children)
        case "invertedSection":
            guard let name = name(), let children = children() else { return nil }
            return .inverted(name, children)
        case "partial":
            guard let partial = fields[".0"] as? String, fields["inherits"].map(isEmptyOptional) ?? true,
                let indentation = fields["indentation"] as? String?
            else { return nil }
            return .partial(partial, indentation: indentation)
        case "contentType":
            let type = String(describing: Swift.type(of: payload))
            guard type == "HTMLContentType" || type == "TextContentType" else { return nil }
            return .contentType(html: type == "HTMLContentType")
        default:
            return nil
        }
    }

    private static func isEmptyOptional(_ value: Any) -> Bool {
        let mirror = Mirror(reflecting: value)
        return mirror.displayStyle == .optional && mirror.children.isEmpty
    }

    private static func name(_ name: String, _ transforms: [String]) -> Name? {
        if name.isEmpty {
            switch transforms {
            case ["first"]: return .first
            case ["last"]: return .last
            default: return nil
            }
        }
        guard transforms.isEmpty else { return nil }
        if name == "." { return .current }
        return .path(name.split(separator: ".").map(String.init), fromTop: name.first == ".")
    }
}

/// Renders ``FastTemplate``s by name, partials included.
struct FastRenderer: Sendable {
    let templates: [String: FastTemplate]

    /// Nil when `name` is not one of `templates`.
    func render(_ name: String, _ value: TemplateValue) -> String? {
        guard let template = templates[name] else { return nil }
        var output = ""
        render(template.nodes, Context(stack: [value]), into: &output)
        return output
    }

    /// swift-mustache's `MustacheContext`, with the parts the bundled templates use.
    struct Context {
        var stack: [TemplateValue]
        /// The current loop's position: (first, last); nil outside a loop and once an object is pushed.
        var sequence: (first: Bool, last: Bool)? = nil
        var indentation: String? = nil
        var html = true

        func pushing(_ value: TemplateValue) -> Context {
            var context = self
            context.stack.append(value)
            context.sequence = nil
            return context
        }
    }

    private func render(_ nodes: [Node], _ context: Context, into output: inout String) {
        var context = context
        guard let indentation = context.indentation, !indentation.isEmpty else {
            for node in nodes { render(node, &context, into: &output) }
            return
        }
        // A standalone partial's indentation goes before every token that starts a line.
        var rendered = ""
        for node in nodes {
            var piece = ""
            render(node, &context, into: &piece)
            if !piece.isEmpty, rendered.last == "\n" { rendered += indentation }
            rendered += piece
        }
        output += rendered
    }

    typealias Node = FastTemplate.Node

    private func render(_ node: Node, _ context: inout Context, into output: inout String) {
        switch node {
        case .text(let text):
            output += text
        case .variable(let name, let escaped):
            guard let value = lookup(name, context) else { return }
            let text = value.printed
            output += escaped && context.html ? HTMLText.escape(text) : text
        case .section(let name, let nodes):
            switch lookup(name, context) {
            case .list(let items, _)?:
                for (index, item) in items.enumerated() {
                    var inner = context.pushing(item)
                    inner.sequence = (index == 0, index == items.count - 1)
                    render(nodes, inner, into: &output)
                }
            case .flag(let flag)?:
                if flag { render(nodes, context, into: &output) }
            case let value?:
                render(nodes, context.pushing(value), into: &output)
            case nil:
                break
            }
        case .inverted(let name, let nodes):
            let value = lookup(name, context)
            switch value {
            case .list(let items, _)? where items.isEmpty:
                // swift-mustache pushes the empty list itself.
                render(nodes, context.pushing(value!), into: &output)
            case .flag(false)?, nil:
                render(nodes, context, into: &output)
            case _?:
                break
            }
        case .partial(let name, let indentation):
            guard let template = templates[name] else { return }
            var inner = context
            inner.sequence = nil
            if let indentation { inner.indentation = (context.indentation ?? "") + indentation }
            inner.html = true
            render(template.nodes, inner, into: &output)
        case .contentType(let html):
            context.html = html
        }
    }

    private func lookup(_ name: FastTemplate.Name, _ context: Context) -> TemplateValue? {
        switch name {
        case .current:
            return context.stack.last
        case .first:
            return context.sequence.map { .flag($0.first) }
        case .last:
            return context.sequence.map { .flag($0.last) }
        case .path(let names, let fromTop):
            guard let head = names.first else { return context.stack.last }
            var value: TemplateValue?
            if fromTop {
                value = context.stack.last?.child(head)
            } else {
                for frame in context.stack.reversed() {
                    if let found = frame.child(head) {
                        value = found
                        break
                    }
                }
            }
            for name in names.dropFirst() { value = value?.child(name) }
            return value
        }
    }
}
