/// Discord webhooks: `{"content", "allowed_mentions": {"parse": []}}` with `?wait=true`, so the
/// answer carries the message id; 429 bodies carry `retry_after` in (fractional) seconds.
struct DiscordTarget: ChatTarget {
    func request(for delivery: Delivery, context: DeliveryContext) throws -> HTTPClient.Request {
        var url = try context.secret("url")
        url += url.contains("?") ? "&wait=true" : "?wait=true"
        let body = context.json(["content": delivery.body, "allowed_mentions": ["parse": [String]()]])
        return context.request(url: url, headers: [("Content-Type", "application/json")], body: body)
    }

    func outcome(of response: HTTPClient.Response, for delivery: Delivery) -> AttemptOutcome {
        standardOutcome(
            response,
            errorText: { response in
                guard let json = jsonObject(response) else { return nil }
                var text = json["message"] as? String ?? ""
                // Field errors sit deep: {"errors": {"content": {"_errors": [{"message": …}]}}}
                if let errors = json["errors"] as? [String: Any] {
                    for (field, value) in errors.sorted(by: { $0.key < $1.key }) {
                        let messages = ((value as? [String: Any])?["_errors"] as? [[String: Any]] ?? []).compactMap { $0["message"] as? String }
                        if !messages.isEmpty { text += " (\(field): \(messages.joined(separator: "; ")))" }
                    }
                }
                return text
            },
            wait: { jsonObject($0)?["retry_after"] as? Double },
            receipt: { jsonObject($0)?["id"] as? String })
    }
}
