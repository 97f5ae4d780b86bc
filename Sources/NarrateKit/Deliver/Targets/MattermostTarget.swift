/// Mattermost incoming webhooks: `{"text"}` in GFM; errors are `{"message"}`.
struct MattermostTarget: ChatTarget {
    func request(for delivery: Delivery, context: DeliveryContext) throws -> HTTPClient.Request {
        context.request(
            url: try context.secret("url"), headers: [("Content-Type", "application/json")],
            body: context.json(["text": delivery.body]))
    }

    func outcome(of response: HTTPClient.Response, for delivery: Delivery) -> AttemptOutcome {
        standardOutcome(response, errorText: { jsonObject($0)?["message"] as? String })
    }
}
