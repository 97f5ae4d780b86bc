import Foundation
import Hummingbird
import NIOCore
import NarrateModel
import NarrateReport

/// Reads request bodies within the size limit and turns them into fields, naming the field in
/// every error.
enum BodyReader {
    /// The raw body, refused with 413 when it is larger than `limit` (by its Content-Length,
    /// else while reading).
    static func bytes(_ request: Request, limit: Int) async throws -> [UInt8] {
        if let length = request.headers[.contentLength].flatMap(Int.init), length > limit {
            throw HTTPProblem(.tooLarge, "the request body is \(length) bytes; at most \(limit) are accepted")
        }
        var request = request
        do {
            let buffer = try await request.collectBody(upTo: limit)
            return Array(buffer.readableBytesView)
        } catch let error as HTTPError where error.status == .contentTooLarge {
            throw HTTPProblem(.tooLarge, "the request body is larger than the \(limit) bytes accepted")
        } catch is NIOTooManyBytesError {
            // A chunked body (no Content-Length) that grows past the limit while it is read.
            throw HTTPProblem(.tooLarge, "the request body is larger than the \(limit) bytes accepted")
        }
    }

    /// A JSON object.
    static func json(_ request: Request, limit: Int) async throws -> JSONFields {
        let type = request.headers[.contentType] ?? ""
        guard type.lowercased().hasPrefix("application/json") else {
            throw HTTPProblem(.invalidInput, "send JSON with Content-Type: application/json (got \"\(type)\")", field: "Content-Type")
        }
        let bytes = try await Self.bytes(request, limit: limit)
        guard let object = try? JSONSerialization.jsonObject(with: Data(bytes), options: []) else {
            throw HTTPProblem(.invalidInput, "the body is not valid JSON", field: "body")
        }
        guard let fields = object as? [String: Any] else {
            throw HTTPProblem(.invalidInput, "the body must be a JSON object", field: "body")
        }
        return JSONFields(fields: fields)
    }

    /// An `application/x-www-form-urlencoded` body, as name → value (the last of repeated names).
    static func form(_ request: Request, limit: Int, format: HTTPProblem.Format) async throws -> (fields: [String: String], raw: [UInt8]) {
        let raw = try await bytes(request, limit: limit)
        guard let fields = formFields(raw) else {
            throw HTTPProblem(.invalidInput, "the form is not valid UTF-8 URL-encoded text", field: "body", format: format)
        }
        return (fields, raw)
    }

    static func formFields(_ raw: [UInt8]) -> [String: String]? {
        var fields: [String: String] = [:]
        for pair in raw.split(separator: UInt8(ascii: "&"), omittingEmptySubsequences: true) {
            let parts = pair.split(separator: UInt8(ascii: "="), maxSplits: 1, omittingEmptySubsequences: false)
            guard let name = decode(parts[0]) else { return nil }
            guard let value = parts.count > 1 ? decode(parts[1]) : "" else { return nil }
            fields[name] = value
        }
        return fields
    }

    /// Percent-decoding with `+` as a space; nil for bad escapes or bytes that are not UTF-8.
    static func decode(_ bytes: ArraySlice<UInt8>) -> String? {
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count)
        var index = bytes.startIndex
        while index < bytes.endIndex {
            let byte = bytes[index]
            if byte == UInt8(ascii: "+") {
                out.append(UInt8(ascii: " "))
            } else if byte == UInt8(ascii: "%") {
                guard index + 2 < bytes.endIndex,
                    let high = hex(bytes[index + 1]), let low = hex(bytes[index + 2])
                else { return nil }
                out.append(high << 4 | low)
                index += 2
            } else {
                out.append(byte)
            }
            index += 1
        }
        return String(validating: out, as: UTF8.self)
    }

    static func hex(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): byte - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): byte - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): byte - UInt8(ascii: "A") + 10
        default: nil
        }
    }
}

/// A JSON object's fields, read with their types checked and unknown names refused.
struct JSONFields {
    let fields: [String: Any]

    /// Refuses any field not in `known` (a typo would otherwise be silently ignored).
    func allow(_ known: Set<String>) throws {
        if let unknown = fields.keys.sorted().first(where: { !known.contains($0) }) {
            let hint = Suggestion.closest(to: unknown, in: Array(known)).map { "; did you mean \"\($0)\"?" } ?? ""
            throw HTTPProblem(.invalidInput, "unknown field \"\(unknown)\"\(hint) (known: \(known.sorted().joined(separator: ", ")))", field: unknown)
        }
    }

    /// The field's value; nil when it is left out. `null` is refused: no field of the API takes
    /// it, and reading it as "left out" would accept what docs/openapi.yaml does not.
    func present(_ key: String, required: Bool) throws -> Any? {
        guard let value = fields[key] else {
            if required { throw HTTPProblem(.invalidInput, "\"\(key)\" is required", field: key) }
            return nil
        }
        if value is NSNull { throw HTTPProblem(.invalidInput, "\"\(key)\" is null; leave it out instead", field: key) }
        return value
    }

    func string(_ key: String, required: Bool = false) throws -> String? {
        guard let value = try present(key, required: required) else { return nil }
        guard let text = value as? String else { throw HTTPProblem(.invalidInput, "\"\(key)\" must be a string", field: key) }
        return text
    }

    func number(_ key: String, required: Bool = false) throws -> Double? {
        guard let value = try present(key, required: required) else { return nil }
        // JSONSerialization reads true/false as NSNumber too; they are not numbers here.
        guard let number = value as? NSNumber, String(cString: number.objCType) != "c" else {
            throw HTTPProblem(.invalidInput, "\"\(key)\" must be a number", field: key)
        }
        return number.doubleValue
    }

    func choice<Choice: RawRepresentable & CaseIterable>(_ key: String, required: Bool = false) throws -> Choice?
    where Choice.RawValue == String {
        guard let text = try string(key, required: required) else { return nil }
        guard let choice = Choice(rawValue: text) else {
            let allowed = Choice.allCases.map(\.rawValue)
            throw HTTPProblem(.invalidInput, "\"\(key)\" is \"\(text)\", not one of \(allowed.joined(separator: ", "))", field: key)
        }
        return choice
    }
}
