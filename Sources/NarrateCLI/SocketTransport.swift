import Foundation
import HTTPTypes
import NarrateDelivery
import NarrateModel
import OpenAPIRuntime

/// The generated client's transport to the daemon's local socket, over libcurl like every other
/// request narrate sends. An answer that is not 2xx becomes the daemon's own error (its category
/// and message), so a command prints what the service said, not which status it got.
struct SocketTransport: ClientTransport {
    let socket: String
    /// `X-Narrate-As`: act for this person (the daemon allows it to admins and to oneself).
    let actingAs: String?

    func send(
        _ request: HTTPTypes.HTTPRequest, body: HTTPBody?, baseURL: URL, operationID: String
    ) async throws -> (HTTPTypes.HTTPResponse, HTTPBody?) {
        var headers = request.headerFields.map { ($0.name.rawName, $0.value) }
        if let actingAs { headers.append(("X-Narrate-As", actingAs)) }
        var bytes = Data()
        if let body { bytes = try await Data(collecting: body, upTo: 1 << 20) }
        let answer = try await Self.exchange(
            NarrateModel.HTTPRequest(
                method: request.method.rawValue, url: baseURL.absoluteString + (request.path ?? "/"), headers: headers, body: bytes,
                timeout: 30, connectTimeout: 5, unixSocket: socket),
            socket: socket)
        var fields = HTTPFields()
        for (name, value) in answer.headers { if let name = HTTPField.Name(name) { fields.append(HTTPField(name: name, value: value)) } }
        return (HTTPTypes.HTTPResponse(status: .init(code: answer.status), headerFields: fields), HTTPBody(answer.body))
    }

    /// One request to the daemon; the body answered, or the daemon's error with its category.
    static func exchange(_ request: NarrateModel.HTTPRequest, socket: String) async throws -> NarrateModel.HTTPResponse {
        let response: NarrateModel.HTTPResponse
        do {
            response = try await CurlTransport.withRunning { try await $0.send(request) }
        } catch {
            throw NarrateError(
                .unavailable,
                "the narrate daemon does not answer on \(socket) (\(error)); is it running (systemctl status narrate)? Nothing was recorded")
        }
        guard (200..<300).contains(response.status) else {
            let error = response.jsonObject?["error"] as? [String: Any] ?? [:]
            let category = (error["category"] as? String).flatMap(NarrateError.Category.init(rawValue:)) ?? .internal
            throw NarrateError(category, error["message"] as? String ?? "the daemon answered \(response.status)")
        }
        return response
    }
}
