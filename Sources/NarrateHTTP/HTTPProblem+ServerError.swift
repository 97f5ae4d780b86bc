import Foundation
import NarrateAPI
import NarrateModel
import OpenAPIRuntime

extension HTTPProblem {
    /// A request the generated server refused before any handler ran, as 400 naming the field
    /// at fault (the JSON key, the query or path parameter, the header, or "body"); nil for a
    /// handler's own error, which answers as its category says.
    static func refusal(_ error: ServerError, body: [String: Any]?) -> HTTPProblem? {
        if let decoding = error.underlyingError as? DecodingError {
            // A required field missing beside one spelled like it is a typo: name the typo.
            if case .keyNotFound(let key, let context) = decoding, context.codingPath.isEmpty, let body,
                let typo = body.keys.sorted().first(where: { Suggestion.closest(to: $0, in: [key.stringValue]) != nil })
            {
                return HTTPProblem(.invalidInput, "unknown field \"\(typo)\"; did you mean \"\(key.stringValue)\"?", field: typo)
            }
            return unnamed(decoding, error, body) ?? refused(decoding, parameter: parameter(named: error.causeDescription))
        }
        if error.httpStatus == .unsupportedMediaType {
            let type = error.request.headerFields[.contentType] ?? ""
            return HTTPProblem(.invalidInput, "send JSON with Content-Type: application/json (got \"\(type)\")", field: "Content-Type")
        }
        guard error.httpStatus == .badRequest else { return nil }
        let field = parameter(named: error.causeDescription) ?? "body"
        return HTTPProblem(
            .invalidInput, field == "body" ? "the request needs a JSON body" : "\"\(field)\" has a value the API does not take", field: field)
    }

    /// A body or parameter the generated decoder refused, in the API's words.
    static func refused(_ error: DecodingError, parameter: String?) -> HTTPProblem {
        func name(_ path: [any CodingKey]) -> String? {
            let keys = path.filter { $0.intValue == nil }.map(\.stringValue)
            return keys.isEmpty ? parameter : keys.joined(separator: ".")
        }
        switch error {
        case .keyNotFound(let key, let context):
            let field = name(context.codingPath + [key]) ?? key.stringValue
            return HTTPProblem(.invalidInput, "\"\(field)\" is required", field: field)
        case .valueNotFound(_, let context):
            let field = name(context.codingPath) ?? "body"
            return HTTPProblem(.invalidInput, "\"\(field)\" is null; leave it out instead", field: field)
        case .typeMismatch(let type, let context):
            guard let field = name(context.codingPath) else {
                return HTTPProblem(.invalidInput, "the body must be a JSON object", field: "body")
            }
            return HTTPProblem(.invalidInput, "\"\(field)\" must be \(describe(type))", field: field)
        case .dataCorrupted(let context):
            guard let field = name(context.codingPath) else {
                return HTTPProblem(.invalidInput, "the body is not valid JSON", field: "body")
            }
            if context.debugDescription.hasPrefix("Additional properties are disabled") {
                return HTTPProblem(.invalidInput, "unknown field \"\(field)\"", field: field)
            }
            if let allowed = choices[context.codingPath.last?.stringValue ?? field] {
                // Foundation's words: "Cannot initialize Kind from invalid String value rant".
                let words = context.debugDescription.components(separatedBy: " value ")
                let value = words.count > 1 ? "\"\(words[words.count - 1])\", " : ""
                return HTTPProblem(.invalidInput, "\"\(field)\" is \(value)not one of \(allowed.joined(separator: ", "))", field: field)
            }
            return HTTPProblem(.invalidInput, "\"\(field)\" has a value the API does not take", field: field)
        @unknown default:
            return HTTPProblem(.invalidInput, "the request does not match the API (docs/openapi.yaml)", field: parameter ?? "body")
        }
    }

    /// The values each choice field takes, from the generated types.
    static let choices: [String: [String]] = [
        "kind": Components.Schemas.Kind.allCases.map(\.rawValue),
        "stage": Components.Schemas.Stage.allCases.map(\.rawValue),
        "state": Components.Schemas.EntryChange.StatePayload.allCases.map(\.rawValue),
    ]

    static func describe(_ type: Any.Type) -> String {
        switch type {
        case is String.Type: "a string"
        case is Int.Type, is Int64.Type: "a whole number"
        case is Double.Type, is Float.Type: "a number"
        case is Bool.Type: "true or false"
        default: "a JSON object"
        }
    }

    /// The problem of an error that names no field: Foundation's decoder loses the key of a
    /// number that is no whole number (`"mood": 4.5`, reported as invalid JSON), and a path
    /// parameter's decoder has no key.
    static func unnamed(_ error: DecodingError, _ server: ServerError, _ body: [String: Any]?) -> HTTPProblem? {
        let context: DecodingError.Context
        switch error {
        case .typeMismatch(_, let found), .dataCorrupted(let found), .valueNotFound(_, let found): context = found
        default: return nil
        }
        guard context.codingPath.isEmpty else { return nil }
        if let body {
            let fractions = body.filter { _, value in (value as? NSNumber).map { $0.doubleValue != $0.doubleValue.rounded() } ?? false }
            guard fractions.count == 1, let field = fractions.first?.key else { return nil }
            return HTTPProblem(.invalidInput, "\"\(field)\" must be a whole number", field: field)
        }
        let parameters = server.requestMetadata.pathParameters.keys.sorted()
        guard server.request.method == .get || server.request.method == .delete, parameters.count == 1 else { return nil }
        return HTTPProblem(.invalidInput, "\"\(parameters[0])\" must be a whole number", field: parameters[0])
    }

    /// The parameter a runtime error's description names ("… query parameter named: since").
    static func parameter(named description: String) -> String? {
        guard let range = description.range(of: "named: ") ?? description.range(of: "parameter '") else { return nil }
        let rest = description[range.upperBound...]
        let name = rest.prefix { $0.isLetter || $0.isNumber || $0 == "_" }
        return name.isEmpty ? nil : String(name)
    }
}
