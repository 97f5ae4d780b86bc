import NarrateModel
import NarrateReport
import Foundation

/// ntfy: the part is the POST body to the topic URL, with `Markdown: yes`. The topic is the
/// credential (anyone who knows it can read and post).
struct NtfyTarget: TargetDescriptor {
    func personalAddressProblem(_ address: String) -> String? {
        address.count <= 64 && address.allSatisfy({ $0.isLetter && $0.isASCII || $0.isNumber || $0 == "-" || $0 == "_" })
            ? nil : "\"\(address)\" is not an ntfy topic (letters, digits, - and _, at most 64)"
    }

    var kind: Target.Kind { .ntfy }
    var keys: TargetKeys { TargetKeys(required: ["url"], secrets: ["url"]) }
    var dialect: Dialect { .ntfy }
    var defaultRate: Double { 5 }

    func endpoint(_ values: TargetValues) -> Endpoint { .webhookURL(values.secret("url")) }

    func action(for part: Delivery, to target: Target, context: DeliveryContext) throws -> DeliveryAction {
        var url = try context.reveal(target.endpoint.url(of: target))
        // A personal channel names its own topic on the same server.
        if let topic = part.route, let slash = url.lastIndex(of: "/") { url = String(url[...slash]) + topic }
        return .http(request(
            url: url,
            headers: [("Content-Type", "text/markdown; charset=utf-8"), ("Markdown", "yes"), ("Title", "narrate: \(context.report.team)")],
            body: Data(part.body.utf8), target: target))
    }

    func classify(_ response: HTTPResponse, for part: Delivery, now: Date) -> AttemptOutcome {
        standardOutcome(
            response, now: now, errorText: { $0.jsonObject?["error"] as? String }, receipt: { $0.jsonObject?["id"] as? String })
    }
}
