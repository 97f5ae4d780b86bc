/// ntfy: the part is the POST body to the topic URL, with `Markdown: yes`.
struct NtfyTarget: ChatTarget {
    func request(for delivery: Delivery, context: DeliveryContext) throws -> HTTPClient.Request {
        context.request(
            url: try context.secret("url"),
            headers: [("Content-Type", "text/markdown; charset=utf-8"), ("Markdown", "yes"), ("Title", "narrate: \(context.report.team)")],
            body: Data(delivery.body.utf8))
    }

    func outcome(of response: HTTPClient.Response, for delivery: Delivery) -> AttemptOutcome {
        standardOutcome(response, errorText: { jsonObject($0)?["error"] as? String }, receipt: { jsonObject($0)?["id"] as? String })
    }
}

import Foundation
