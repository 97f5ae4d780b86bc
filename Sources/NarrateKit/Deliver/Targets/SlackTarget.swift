/// Slack incoming webhooks: `{"text"}`, answers `200 ok` or a short error word.
struct SlackTarget: ChatTarget {
    func request(for delivery: Delivery, context: DeliveryContext) throws -> HTTPClient.Request {
        let body = context.json(["text": delivery.body])
        return context.request(url: try context.secret("url"), headers: [("Content-Type", "application/json")], body: body)
    }

    func outcome(of response: HTTPClient.Response, for delivery: Delivery) -> AttemptOutcome {
        standardOutcome(response, errorText: { $0.text })
    }
}
