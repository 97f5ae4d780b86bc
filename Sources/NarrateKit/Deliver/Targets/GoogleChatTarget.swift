/// Google Chat space webhooks: `{"text"}`; errors are `{"error": {"message", "status"}}`.
struct GoogleChatTarget: ChatTarget {
    func request(for delivery: Delivery, context: DeliveryContext) throws -> HTTPClient.Request {
        context.request(
            url: try context.secret("url"), headers: [("Content-Type", "application/json; charset=UTF-8")],
            body: context.json(["text": delivery.body]))
    }

    func outcome(of response: HTTPClient.Response, for delivery: Delivery) -> AttemptOutcome {
        standardOutcome(
            response,
            errorText: { response in
                guard let error = jsonObject(response)?["error"] as? [String: Any] else { return nil }
                return [error["status"] as? String, error["message"] as? String].compactMap { $0 }.joined(separator: ": ")
            },
            receipt: { jsonObject($0)?["name"] as? String })
    }
}
