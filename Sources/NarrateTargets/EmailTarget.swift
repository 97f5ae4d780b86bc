import NarrateModel
import NarrateReport
import Foundation

/// Mail over SMTP through libcurl: `smtps://host:465` (TLS from the start) or `smtp://host:587`
/// with STARTTLS required (off only for a loopback relay). The part's Markdown becomes a
/// multipart/alternative message (``MailMessage``). The "response" is the server's last reply
/// code: 2xx sent, 4xx tried again, 5xx parked with the server's words.
struct EmailTarget: TargetDescriptor {
    func personalAddressProblem(_ address: String) -> String? {
        MailMessage.isAddress(address) ? nil : "\"\(address)\" is not a plain mail address"
    }

    var kind: Target.Kind { .email }
    var keys: TargetKeys {
        TargetKeys(required: ["url", "from"], optional: ["to", "username", "password", "starttls"], secrets: ["password"], lists: ["to"])
    }
    var dialect: Dialect { .commonmark }
    var defaultRate: Double { 1 }

    func endpoint(_ values: TargetValues) -> Endpoint {
        .email(
            url: values.string("url"), from: values.string("from"), to: values.lists["to"] ?? [], username: values.strings["username"],
            password: values.secrets["password"], requireTLS: values.strings["starttls"] != "off")
    }

    func problems(_ values: TargetValues) -> [(key: String, message: String)] {
        var problems: [(String, String)] = []
        let url = values.string("url")
        let components = URLComponents(string: url)
        if !(url.hasPrefix("smtp://") || url.hasPrefix("smtps://")) || components?.host?.isEmpty != false {
            problems.append(("url", "\"\(url)\" is not an SMTP URL; write smtps://mail.example.org:465 or smtp://mail.example.org:587"))
        }
        if let from = values.strings["from"], !MailMessage.isAddress(from) {
            problems.append(("from", "\"\(from)\" is not a plain mail address (name@example.org)"))
        }
        for address in values.lists["to"] ?? [] where !MailMessage.isAddress(address) {
            problems.append(("to", "\"\(address)\" is not a plain mail address (name@example.org)"))
        }
        switch values.strings["starttls"] {
        case nil, "required": break
        case "off":
            let host = components?.host ?? ""
            if !["localhost", "127.0.0.1", "::1", "[::1]"].contains(host) {
                problems.append(("starttls", "\"off\" sends the password and the report in the clear; it is allowed only for a relay on localhost"))
            }
        case let other?:
            problems.append(("starttls", "\"\(other)\" is not one of required, off"))
        }
        if values.secrets["password"] != nil && values.strings["username"] == nil {
            problems.append(("username", "a password needs a username"))
        }
        return problems
    }

    func action(for part: Delivery, to target: Target, context: DeliveryContext) throws -> DeliveryAction {
        guard case .email(let url, let from, let to, let username, let passwordSecret, let requireTLS) = target.endpoint else {
            throw NarrateError(.internal, "target \(target.id) is not an email target")
        }
        // A personal channel carries its own address; a report goes to the target's list.
        let recipients = part.route.map { [$0] } ?? to
        guard !recipients.isEmpty else {
            throw NarrateError(.invalidInput, "target \(target.id) has no recipients (to = [...])")
        }
        let domain = from.split(separator: "@").last.map(String.init) ?? "localhost"
        let message = MailMessage(
            from: from, to: recipients, subject: MailMessage.subject(of: part.body), markdown: part.body, date: context.now,
            messageID: "report-\(part.report).\(target.id).\(part.part)\(part.route.map { "." + $0.replacingOccurrences(of: "@", with: "=") } ?? "")@narrate.\(domain)")
        var request = request("SMTP", url: url, headers: [], body: message.data, target: target)
        request.smtp = SMTPEnvelope(
            from: from, recipients: recipients, username: username, password: try passwordSecret.map(context.reveal),
            requireTLS: requireTLS)
        return .http(request)
    }

    func classify(_ response: HTTPResponse, for part: Delivery, now: Date) -> AttemptOutcome {
        let text = OneLine.clean(response.text)
        switch response.status {
        case 200..<400: return .sent(receipt: nil)
        case 400..<500: return .retry(after: nil, error: "SMTP \(response.status)" + (text.isEmpty ? "" : ": \(text)"))
        default: return .park(error: "SMTP \(response.status)" + (text.isEmpty ? "" : ": \(text)"))
        }
    }
}
