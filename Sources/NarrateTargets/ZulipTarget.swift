import NarrateModel
import NarrateReport
import Foundation

/// Zulip `POST /api/v1/messages` as a form with HTTP basic auth (bot email, API key).
struct ZulipTarget: TargetDescriptor {
    var kind: Target.Kind { .zulip }
    var keys: TargetKeys { TargetKeys(required: ["site", "email", "api_key", "stream", "topic"], secrets: ["api_key"]) }
    var dialect: Dialect { .zulip }
    var defaultRate: Double { 5 }

    func endpoint(_ values: TargetValues) -> Endpoint {
        .zulip(
            site: values.string("site"), email: values.string("email"), apiKey: values.secret("api_key"),
            stream: values.string("stream"), topic: values.string("topic"))
    }

    func action(for part: Delivery, to target: Target, context: DeliveryContext) throws -> DeliveryAction {
        guard case .zulip(let site, let email, let keySecret, let stream, let topic) = target.endpoint else {
            throw NarrateError(.internal, "target \(target.id) is not a zulip target")
        }
        let credentials = "\(email):\(try context.reveal(keySecret))"
        let authorization = Data(credentials.utf8).base64EncodedString()
        context.protect(authorization)
        // A form body must encode `+`, `&` and `=` too, which URLComponents leaves alone.
        let allowed = CharacterSet.alphanumerics.union(CharacterSet(charactersIn: "-._~"))
        let fields = [("type", "stream"), ("to", stream), ("topic", topic), ("content", part.body)]
        let body = fields.map { name, value in
            "\(name)=\(value.addingPercentEncoding(withAllowedCharacters: allowed) ?? "")"
        }.joined(separator: "&")
        return .http(request(
            url: "\(trimmingSlash(site))/api/v1/messages",
            headers: [
                ("Content-Type", "application/x-www-form-urlencoded"),
                ("Authorization", "Basic \(authorization)"),
            ], body: Data(body.utf8), target: target))
    }

    func classify(_ response: HTTPResponse, for part: Delivery, now: Date) -> AttemptOutcome {
        let json = response.jsonObject
        if response.status == 200 && json?["result"] as? String != "success" {
            return .park(error: "HTTP 200: \(json?["msg"] as? String ?? "no success result")")
        }
        return standardOutcome(
            response, now: now,
            errorText: { _ in
                [json?["msg"] as? String, (json?["code"] as? String).map { "(\($0))" }].compactMap { $0 }.joined(separator: " ")
            },
            receipt: { _ in (json?["id"]).map { "\($0)" } })
    }
}
