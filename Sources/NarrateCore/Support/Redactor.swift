import Foundation
import Synchronization

/// Knows every resolved secret value and removes it, and each form derived from it, from any
/// string before that string leaves the process: log lines, errors kept in the outbox or run
/// ledger, `--dry-run` and `--json` output, a platform's error body.
///
/// Redaction goes by value, not by the shape of a URL, so a token is caught wherever it shows
/// up: in a URL path (`/bot<token>/`), percent-encoded, or quoted back by a platform.
public final class Redactor: Sendable {
    public static let mask = "[secret]"

    /// Longest first, so a secret that contains another is replaced whole.
    private let values = Mutex<[String]>([])

    public init() {}

    /// Remembers a secret value and its derived forms. Short values (under 6 characters) are
    /// not registered on their own: they would blank out ordinary words.
    public func register(_ secret: String) {
        let forms = Self.forms(of: secret).filter { $0.count >= 6 }
        guard !forms.isEmpty else { return }
        values.withLock { known in
            for form in forms where !known.contains(form) { known.append(form) }
            known.sort { $0.count > $1.count }
        }
    }

    /// `text` with every known secret replaced by ``mask``, in one pass over the original text
    /// (so a mask is never itself searched, and a longer secret wins over one inside it).
    public func redact(_ text: String) -> String {
        let known = values.withLock { $0 }
        guard !known.isEmpty else { return text }
        var found: [Range<String.Index>] = []
        for value in known {
            var start = text.startIndex
            while let range = text.range(of: value, range: start..<text.endIndex) {
                if !found.contains(where: { $0.overlaps(range) }) { found.append(range) }
                start = range.upperBound
            }
        }
        guard !found.isEmpty else { return text }
        found.sort { $0.lowerBound < $1.lowerBound }
        var result = ""
        var position = text.startIndex
        for range in found {
            result += text[position..<range.lowerBound]
            result += Self.mask
            position = range.upperBound
        }
        result += text[position...]
        return result
    }

    public var isEmpty: Bool { values.withLock { $0.isEmpty } }

    /// The value, its percent-encoded and JSON-escaped copies, and for a URL the parts of it that
    /// carry the credential: the last path segment (Slack's `/X…`, Discord's `/<token>`, an ntfy
    /// topic) unless it is a word of the platform's URL shape, and credential query values
    /// (`sig=`, `key=`, `token=`).
    static func forms(of secret: String) -> [String] {
        let trimmed = secret.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !trimmed.isEmpty else { return [] }
        var forms = [trimmed]
        let unreserved = CharacterSet.alphanumerics.union(CharacterSet(charactersIn: "-._~"))
        if let encoded = trimmed.addingPercentEncoding(withAllowedCharacters: unreserved) { forms.append(encoded) }
        forms.append(trimmed.replacingOccurrences(of: "/", with: "\\/"))
        if let components = URLComponents(string: trimmed), components.scheme != nil, components.host != nil {
            if let last = components.path.split(separator: "/").last.map(String.init),
                !structuralWords.contains(last.lowercased())
            {
                forms.append(last)
                if let decoded = last.removingPercentEncoding { forms.append(decoded) }
            }
            for item in components.queryItems ?? [] where credentialKeys.contains(item.name.lowercased()) {
                if let value = item.value, !value.isEmpty { forms.append(value) }
            }
            if let password = components.password { forms.append(password) }
        }
        var seen: Set<String> = []
        return forms.filter { seen.insert($0).inserted }
    }

    /// Query keys whose values are credentials.
    static let credentialKeys: Set<String> = [
        "sig", "key", "token", "secret", "access_token", "api_key", "apikey", "password", "auth", "code",
    ]

    /// Path segments that platforms use for their URL shape, not for a credential.
    static let structuralWords: Set<String> = [
        "api", "v1", "v2", "v3", "services", "webhooks", "webhook", "hooks", "workflows", "triggers", "manual",
        "paths", "invoke", "spaces", "messages", "chat", "sendmessage", "_matrix", "client", "rooms", "send",
        "m.room.message", "slack", "discord", "teams", "hook",
    ]
}
