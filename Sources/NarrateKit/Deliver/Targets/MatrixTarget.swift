import Foundation

/// Matrix client-server API: `PUT /_matrix/client/v3/rooms/{room}/send/m.room.message/{txnId}`
/// with an `m.notice` in `org.matrix.custom.html`. The txnId comes from the part's id, so a
/// resend after a crash is recognised as the same event.
struct MatrixTarget: ChatTarget {
    func request(for delivery: Delivery, context: DeliveryContext) throws -> HTTPClient.Request {
        let homeserver = try context.setting("homeserver")
        let room = try context.setting("room")
        let token = try context.secret("token")
        // Room ids may lack a server part (room version 12); encode everything but unreserved characters.
        let unreserved = CharacterSet.alphanumerics.union(CharacterSet(charactersIn: "-._~"))
        let encodedRoom = room.addingPercentEncoding(withAllowedCharacters: unreserved) ?? room
        let base = DeliveryContext.trimmingSlash(homeserver)
        let url = "\(base)/_matrix/client/v3/rooms/\(encodedRoom)/send/m.room.message/\(delivery.idempotencyKey)"
        let plain = delivery.body.replacingOccurrences(of: "<[^>]+>", with: "", options: .regularExpression)
        let body: [String: Any] = [
            "msgtype": "m.notice", "body": Self.unescape(plain), "format": "org.matrix.custom.html",
            "formatted_body": delivery.body,
        ]
        return context.request(
            "PUT", url: url, headers: [("Content-Type", "application/json"), ("Authorization", "Bearer \(token)")],
            body: context.json(body))
    }

    /// The plain-text `body` reads the entities back as characters.
    static func unescape(_ text: String) -> String {
        text.replacingOccurrences(of: "&lt;", with: "<").replacingOccurrences(of: "&gt;", with: ">")
            .replacingOccurrences(of: "&quot;", with: "\"").replacingOccurrences(of: "&amp;", with: "&")
    }

    func outcome(of response: HTTPClient.Response, for delivery: Delivery) -> AttemptOutcome {
        let json = jsonObject(response)
        if response.status == 413 { return .park(error: "HTTP 413: \(json?["errcode"] as? String ?? "M_TOO_LARGE")") }
        return standardOutcome(
            response,
            errorText: { _ in
                [json?["errcode"] as? String, json?["error"] as? String].compactMap { $0 }.joined(separator: ": ")
            },
            wait: { _ in (json?["retry_after_ms"] as? Double).map { $0 / 1_000 } },
            receipt: { _ in json?["event_id"] as? String })
    }
}
