import NarrateModel
import NarrateReport
import Foundation

/// Matrix client-server API: `PUT /_matrix/client/v3/rooms/{room}/send/m.room.message/{txnId}`
/// with an `m.notice` in `org.matrix.custom.html`. The txnId comes from the part's id, so a
/// resend after a crash is recognised as the same event.
struct MatrixTarget: TargetDescriptor {
    func personalAddressProblem(_ address: String) -> String? {
        let parts = address.split(separator: ":", maxSplits: 1)
        return address.hasPrefix("@") && parts.count == 2 && !parts[1].isEmpty ? nil : "\"\(address)\" is not a Matrix user id (@alice:example.org)"
    }

    var kind: Target.Kind { .matrix }
    var keys: TargetKeys { TargetKeys(required: ["homeserver", "token"], optional: ["room"], secrets: ["token"]) }
    var dialect: Dialect { .matrix }
    var defaultRate: Double { 5 }

    func endpoint(_ values: TargetValues) -> Endpoint {
        .matrix(homeserver: values.string("homeserver"), room: values.string("room"), token: values.secret("token"))
    }

    func action(for part: Delivery, to target: Target, context: DeliveryContext) throws -> DeliveryAction {
        guard case .matrix(let homeserver, let configuredRoom, let tokenSecret) = target.endpoint else {
            throw NarrateError(.internal, "target \(target.id) is not a matrix target")
        }
        let token = try context.reveal(tokenSecret)
        let headers = [("Content-Type", "application/json"), ("Authorization", "Bearer \(token)")]
        // A personal channel's route is `@user:server` until a direct room exists, then
        // `@user:server|!room`: the first attempt creates the room, the rest post to it.
        var room = configuredRoom
        if let route = part.route {
            let pieces = route.split(separator: "|", maxSplits: 1).map(String.init)
            guard pieces.count == 2 else {
                let body = CreateRoom(invite: [route])
                return .http(request(url: "\(trimmingSlash(homeserver))/_matrix/client/v3/createRoom", headers: headers, body: json(body), target: target))
            }
            room = pieces[1]
        }
        guard !room.isEmpty else {
            throw NarrateError(.invalidInput, "target \(target.id) has no room; set room = \"!…:server\" to post reports with it")
        }
        // Room ids may lack a server part (room version 12); encode everything but unreserved characters.
        let unreserved = CharacterSet.alphanumerics.union(CharacterSet(charactersIn: "-._~"))
        let encodedRoom = room.addingPercentEncoding(withAllowedCharacters: unreserved) ?? room
        let url = "\(trimmingSlash(homeserver))/_matrix/client/v3/rooms/\(encodedRoom)/send/m.room.message/\(part.idempotencyKey)"
        let plain = part.body.replacingOccurrences(of: "<[^>]+>", with: "", options: .regularExpression)
        let body = Notice(body: Self.unescape(plain), formatted_body: part.body)
        return .http(request("PUT", url: url, headers: headers, body: json(body), target: target))
    }

    /// The plain-text `body` reads the entities back as characters.
    static func unescape(_ text: String) -> String {
        text.replacingOccurrences(of: "&lt;", with: "<").replacingOccurrences(of: "&gt;", with: ">")
            .replacingOccurrences(of: "&quot;", with: "\"").replacingOccurrences(of: "&amp;", with: "&")
    }

    func classify(_ response: HTTPResponse, for part: Delivery, now: Date) -> AttemptOutcome {
        let json = response.jsonObject
        if let user = part.route, !user.contains("|"), response.status == 200, let room = json?["room_id"] as? String {
            return .reroute("\(user)|\(room)", error: "direct room \(room) created for \(user)")
        }
        if response.status == 413 { return .park(error: "HTTP 413: \(json?["errcode"] as? String ?? "M_TOO_LARGE")") }
        return standardOutcome(
            response, now: now,
            errorText: { _ in
                [json?["errcode"] as? String, json?["error"] as? String].compactMap { $0 }.joined(separator: ": ")
            },
            wait: { _ in (json?["retry_after_ms"] as? Double).map { $0 / 1_000 } },
            receipt: { _ in json?["event_id"] as? String })
    }

    /// The body of `POST /createRoom` for a direct room with one person.
    struct CreateRoom: Encodable {
        var invite: [String]
        var is_direct = true
        var preset = "trusted_private_chat"
    }

    /// An `m.notice` event: plain text and the HTML it came from.
    struct Notice: Encodable {
        var msgtype = "m.notice"
        var body: String
        var format = "org.matrix.custom.html"
        var formatted_body: String
    }
}
