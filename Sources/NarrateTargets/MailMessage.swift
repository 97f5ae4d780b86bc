import NarrateModel
import NarrateReport
import Crypto
import Foundation

/// An Internet message (RFC 5322 with MIME): the Markdown as text/plain and its cmark-gfm HTML as
/// text/html in one multipart/alternative, UTF-8 throughout, non-ASCII headers encoded per
/// RFC 2047. Built from the part alone, so a resend is byte for byte the same message with the
/// same Message-ID.
public struct MailMessage: Sendable {
    public var from: String
    public var to: [String]
    public var subject: String
    public var markdown: String
    public var date: Date
    /// Without angle brackets: `report-12.platform-mail.1@narrate.example.org`.
    public var messageID: String

    public init(from: String, to: [String], subject: String, markdown: String, date: Date, messageID: String) {
        self.from = from
        self.to = to
        self.subject = subject
        self.markdown = markdown
        self.date = date
        self.messageID = messageID
    }

    public var data: Data {
        let boundary = "narrate-" + Hex.string(SHA256.hash(data: Array(messageID.utf8)).prefix(12))
        let html = "<!doctype html>\n<html><head><meta charset=\"utf-8\"><title>\(Self.escape(subject))</title></head>\n<body>\n"
            + MarkdownDocument.html(markdown) + "</body></html>\n"
        var lines = [
            "From: \(from)",
            "To: \(to.joined(separator: ", "))",
            "Subject: \(Self.encodedWord(subject))",
            "Date: \(Self.rfc5322(date))",
            "Message-ID: <\(messageID)>",
            "MIME-Version: 1.0",
            "Auto-Submitted: auto-generated",
            "Content-Type: multipart/alternative; boundary=\"\(boundary)\"",
            "",
            "--\(boundary)",
            "Content-Type: text/plain; charset=utf-8",
            "Content-Transfer-Encoding: base64",
            "",
        ]
        lines += Self.base64Lines(markdown)
        lines += ["--\(boundary)", "Content-Type: text/html; charset=utf-8", "Content-Transfer-Encoding: base64", ""]
        lines += Self.base64Lines(html)
        lines += ["--\(boundary)--", ""]
        return Data(lines.joined(separator: "\r\n").utf8)
    }

    /// The subject as it is, when it is plain ASCII; else RFC 2047 encoded words of at most 75
    /// characters, folded, never splitting a character.
    static func encodedWord(_ text: String) -> String {
        let clean = text.replacingOccurrences(of: "\r", with: " ").replacingOccurrences(of: "\n", with: " ")
        if clean.unicodeScalars.allSatisfy({ $0.isASCII && $0.value >= 32 }) && clean.count <= 900 { return clean }
        var words: [String] = []
        var chunk: [UInt8] = []
        for character in clean {
            let bytes = Array(String(character).utf8)
            if chunk.count + bytes.count > 45 {
                words.append("=?UTF-8?B?\(Data(chunk).base64EncodedString())?=")
                chunk = []
            }
            chunk += bytes
        }
        if !chunk.isEmpty { words.append("=?UTF-8?B?\(Data(chunk).base64EncodedString())?=") }
        return words.joined(separator: "\r\n ")
    }

    static func base64Lines(_ text: String) -> [String] {
        let encoded = Data(text.utf8).base64EncodedString()
        return stride(from: 0, to: encoded.count, by: 76).map { start in
            let from = encoded.index(encoded.startIndex, offsetBy: start)
            return String(encoded[from..<(encoded.index(from, offsetBy: 76, limitedBy: encoded.endIndex) ?? encoded.endIndex)])
        }
    }

    static func rfc5322(_ date: Date) -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.dateFormat = "EEE, dd MMM yyyy HH:mm:ss '+0000'"
        return formatter.string(from: date)
    }

    static func escape(_ text: String) -> String {
        text.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;").replacingOccurrences(of: ">", with: "&gt;")
    }

    /// A plain address (`alice@example.org`): no display name, no spaces, brackets or line
    /// breaks that could add a header or a recipient.
    public static func isAddress(_ text: String) -> Bool {
        let parts = text.split(separator: "@", omittingEmptySubsequences: false)
        guard parts.count == 2, !parts[0].isEmpty, parts[1].contains("."), !parts[1].hasPrefix("."), !parts[1].hasSuffix(".") else { return false }
        return text.unicodeScalars.allSatisfy { $0.value > 32 && $0.value < 127 && !"<>()[],;:\\\"".unicodeScalars.contains($0) }
    }

    /// The report's title: its first heading, else its first line.
    public static func subject(of markdown: String) -> String {
        let first = markdown.split(separator: "\n").first { !$0.trimmingCharacters(in: .whitespaces).isEmpty } ?? "narrate report"
        return String(first.drop { $0 == "#" }).trimmingCharacters(in: .whitespaces)
    }
}
