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

    /// Reads the whole body into `request` (so the handlers after read it from memory) and
    /// returns it; 413 past `limit`.
    static func buffer(_ request: inout Request, limit: Int) async throws -> ByteBuffer {
        let bytes = try await Self.bytes(request, limit: limit)
        let buffer = ByteBuffer(bytes: bytes)
        request.body = .init(buffer: buffer)
        return buffer
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
