import Foundation

/// Zulip `POST /api/v1/messages` as a form with HTTP basic auth (bot email, API key).
struct ZulipTarget: ChatTarget {
    func request(for delivery: Delivery, context: DeliveryContext) throws -> HTTPClient.Request {
        let site = try context.setting("site")
        let credentials = "\(try context.setting("email")):\(try context.secret("api_key"))"
        var form = URLComponents()
        form.queryItems = [
            URLQueryItem(name: "type", value: "stream"), URLQueryItem(name: "to", value: try context.setting("stream")),
            URLQueryItem(name: "topic", value: try context.setting("topic")), URLQueryItem(name: "content", value: delivery.body),
        ]
        // URLComponents leaves `+` and `&`-safe characters alone; a form body must encode them.
        let allowed = CharacterSet.alphanumerics.union(CharacterSet(charactersIn: "-._~"))
        let body = form.queryItems!.map { item in
            "\(item.name)=\(item.value!.addingPercentEncoding(withAllowedCharacters: allowed)!)"
        }.joined(separator: "&")
        let base = DeliveryContext.trimmingSlash(site)
        return context.request(
            url: "\(base)/api/v1/messages",
            headers: [
                ("Content-Type", "application/x-www-form-urlencoded"),
                ("Authorization", "Basic \(Data(credentials.utf8).base64EncodedString())"),
            ], body: Data(body.utf8))
    }

    func outcome(of response: HTTPClient.Response, for delivery: Delivery) -> AttemptOutcome {
        let json = jsonObject(response)
        if response.status == 200 && json?["result"] as? String != "success" {
            return .park(error: "HTTP 200: \(json?["msg"] as? String ?? "no success result")")
        }
        return standardOutcome(
            response,
            errorText: { _ in
                [json?["msg"] as? String, (json?["code"] as? String).map { "(\($0))" }].compactMap { $0 }.joined(separator: " ")
            },
            receipt: { _ in (json?["id"]).map { "\($0)" } })
    }
}
