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

    /// The known forms, by their first four bytes: one pass over a text finds every candidate.
    private struct Index {
        var byPrefix: [UInt32: [[UInt8]]] = [:]
        /// One bit per possible first two bytes of a form: most positions of a text are passed
        /// over on this test, without hashing four bytes for the dictionary.
        var firstTwo = [UInt64](repeating: 0, count: 1024)
        /// The values registered so far: a secret is revealed for every part sent, and deriving
        /// its forms each time (URL parsing) cost more than building the request.
        var registered: Set<String> = []
        /// Words never masked: the config's ids, which reports, logs and file names carry.
        var kept: Set<String> = []
    }

    private let index = Mutex(Index())

    public init() {}

    /// Never masks these words (the config's ids) as a form of a secret: a webhook whose last
    /// segment is a team's id (`…/hooks/payments`) must not turn "payments" into "[secret]" in
    /// every log line and report. Call before registering.
    public func keep(_ words: some Sequence<String>) {
        index.withLock { $0.kept.formUnion(words) }
    }

    /// Remembers a secret value and its derived forms. Short values (under 6 characters) are
    /// not registered on their own: they would blank out ordinary words.
    public func register(_ secret: String) {
        guard !index.withLock({ $0.registered.contains(secret) }) else { return }
        let forms = Self.forms(of: secret).filter { $0.count >= 6 }
        // Marked registered together with its forms: a second caller that returns early must
        // find them indexed already.
        index.withLock { index in
            index.registered.insert(secret)
            for form in forms where !index.kept.contains(form) {
                let bytes = Array(form.utf8)
                let key = Self.prefix(bytes, 0)
                let (word, bit) = Self.firstTwo(bytes, 0)
                index.firstTwo[word] |= bit
                guard index.byPrefix[key]?.contains(bytes) != true else { continue }
                // In place, longest first, so a secret that contains another is replaced whole.
                index.byPrefix[key, default: []].append(bytes)
                index.byPrefix[key]!.sort { $0.count > $1.count }
            }
        }
    }

    /// `text` with every known secret replaced by ``mask``, in one pass over the original text
    /// (so a mask is never itself searched, and a longer secret wins over one inside it). The
    /// cost grows with the text, not with the number of secrets.
    public func redact(_ text: String) -> String {
        let (byPrefix, firstTwo) = index.withLock { ($0.byPrefix, $0.firstTwo) }
        guard !byPrefix.isEmpty else { return text }
        let bytes = Array(text.utf8)
        guard bytes.count >= 4 else { return text }
        var output: [UInt8] = []
        var copied = 0
        var position = 0
        let mask = Array(Self.mask.utf8)
        while position + 4 <= bytes.count {
            let (word, bit) = Self.firstTwo(bytes, position)
            if firstTwo[word] & bit != 0, let candidates = byPrefix[Self.prefix(bytes, position)],
                let match = candidates.first(where: { Self.matches($0, bytes, at: position) })
            {
                if output.isEmpty { output.reserveCapacity(bytes.count) }
                output += bytes[copied..<position]
                output += mask
                position += match.count
                copied = position
            } else {
                position += 1
            }
        }
        guard copied > 0 else { return text }
        output += bytes[copied...]
        // Secrets are whole UTF-8 sequences, so cutting them out leaves valid UTF-8.
        return String(decoding: output, as: UTF8.self)
    }

    static func prefix(_ bytes: [UInt8], _ at: Int) -> UInt32 {
        UInt32(bytes[at]) | UInt32(bytes[at + 1]) << 8 | UInt32(bytes[at + 2]) << 16 | UInt32(bytes[at + 3]) << 24
    }

    /// Where the bit of the two bytes at `at` is in ``Index/firstTwo``: the word and its mask.
    static func firstTwo(_ bytes: [UInt8], _ at: Int) -> (word: Int, bit: UInt64) {
        let two = Int(bytes[at]) | Int(bytes[at + 1]) << 8
        return (two >> 6, 1 << UInt64(two & 63))
    }

    static func matches(_ form: [UInt8], _ bytes: [UInt8], at position: Int) -> Bool {
        guard position + form.count <= bytes.count else { return false }
        for offset in 0..<form.count where bytes[position + offset] != form[offset] { return false }
        return true
    }


    /// The value, its percent-encoded and JSON-escaped copies, and for a URL the parts of it that
    /// carry the credential: the last path segment (Slack's `/X…`, Discord's `/<token>`, an ntfy
    /// topic) unless it is a word of the platform's URL shape, and credential query values
    /// (`sig=`, `key=`, `token=`).
    static func forms(of secret: String) -> [String] {
        let trimmed = trimmingWhitespace(secret)
        guard !trimmed.isEmpty else { return [] }
        var forms = [trimmed]
        forms.append(percentEncoded(trimmed))
        forms.append(slashEscaped(trimmed))
        if let components = URLComponents(string: trimmed), components.scheme != nil, components.host != nil {
            if let last = components.path.split(separator: "/").last.map(String.init),
                !structuralWords.contains(last.lowercased()), isCredentialLike(last)
            {
                forms.append(last)
                if let decoded = last.removingPercentEncoding { forms.append(decoded) }
            }
            for item in components.queryItems ?? [] where credentialKeys.contains(item.name.lowercased()) {
                if let value = item.value, isCredentialLike(value) { forms.append(value) }
            }
            if let password = components.password { forms.append(password) }
        }
        var seen: Set<String> = []
        return forms.filter { seen.insert($0).inserted }
    }

    /// `text` without the white space and line breaks around it (Foundation's
    /// `.whitespacesAndNewlines`: the separators, the controls from tab to carriage return, NEL
    /// and the zero-width space), worked out on scalars: Foundation's bridge for it was a third of
    /// registering.
    static func trimmingWhitespace(_ text: String) -> String {
        func isSpace(_ scalar: Unicode.Scalar) -> Bool {
            switch scalar.value {
            case 0x09...0x0D, 0x20, 0x85, 0x200B: return true
            case 0..<0x80: return false
            default:
                let category = scalar.properties.generalCategory
                return category == .spaceSeparator || category == .lineSeparator || category == .paragraphSeparator
            }
        }
        let scalars = text.unicodeScalars
        guard let start = scalars.firstIndex(where: { !isSpace($0) }), let last = scalars.lastIndex(where: { !isSpace($0) })
        else { return "" }
        return String(scalars[start...last])
    }

    /// Every `/` as `\/`, the form JSON encoders may give a URL in.
    static func slashEscaped(_ text: String) -> String {
        guard text.utf8.contains(UInt8(ascii: "/")) else { return text }
        var bytes: [UInt8] = []
        bytes.reserveCapacity(text.utf8.count + 8)
        for byte in text.utf8 {
            if byte == UInt8(ascii: "/") { bytes.append(UInt8(ascii: "\\")) }
            bytes.append(byte)
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    /// Every byte but ASCII letters, digits and `-._~` as `%XX`: the form a secret takes inside
    /// a URL's query or path. (Foundation's `addingPercentEncoding` with
    /// `CharacterSet.alphanumerics` also keeps non-ASCII letters, which no URL carries as they are.)
    static func percentEncoded(_ text: String) -> String {
        let hex = Array("0123456789ABCDEF".utf8)
        var bytes: [UInt8] = []
        bytes.reserveCapacity(text.utf8.count)
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "0")...UInt8(ascii: "9"),
                UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: "_"), UInt8(ascii: "~"):
                bytes.append(byte)
            default:
                bytes += [UInt8(ascii: "%"), hex[Int(byte >> 4)], hex[Int(byte & 15)]]
            }
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    /// A piece of a URL that can be a credential rather than a word: 8 characters or more with a
    /// digit or a capital in them (Slack's `B0123ABC`, a token), or 16 or more of any kind. A
    /// segment like `payments` or `narrate` names something; masking it would rewrite that name
    /// everywhere (the whole URL is still masked).
    public static func isCredentialLike(_ text: String) -> Bool {
        guard text.count >= 8 else { return false }
        return text.count >= 16 || text.contains { $0.isNumber || $0.isUppercase }
    }

    /// Query keys whose values are credentials.
    static let credentialKeys: Set<String> = [
        "sig", "sign", "key", "token", "secret", "access_token", "api_key", "apikey", "password", "auth", "code",
    ]

    /// Path segments that platforms use for their URL shape, not for a credential.
    static let structuralWords: Set<String> = [
        "api", "v1", "v2", "v3", "services", "webhooks", "webhook", "hooks", "workflows", "triggers", "manual",
        "paths", "invoke", "spaces", "messages", "chat", "sendmessage", "_matrix", "client", "rooms", "send",
        "m.room.message", "slack", "discord", "teams", "hook", "open-apis", "bot", "robot", "cgi-bin", "lark", "feishu",
        "dingtalk", "wecom", "line", "message", "push",
    ]
}
