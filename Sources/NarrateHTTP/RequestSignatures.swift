import Crypto
import Foundation
import NarrateModel
import NarrateReport

/// Checks that a chat platform sent a request: Slack's v0 HMAC, Mattermost's command token,
/// Discord's Ed25519 signature, LINE's HMAC of the body, Lark's verification token. Every comparison takes the same time whatever matches.
enum RequestSignatures {
    /// How far a Slack request's or a Discord interaction's timestamp may be from now (Slack's
    /// documented 5 minutes, used for both).
    static let slackWindow: TimeInterval = 300

    /// `X-Slack-Signature: v0=hex(HMAC-SHA256(secret, "v0:" + timestamp + ":" + body))`.
    static func verifySlack(secret: String, timestamp: String?, signature: String?, body: [UInt8], now: Date) throws {
        guard let timestamp, let seconds = Double(timestamp) else {
            throw NarrateError(.unauthenticated, "missing or malformed X-Slack-Request-Timestamp")
        }
        guard abs(now.timeIntervalSince1970 - seconds) <= slackWindow else {
            throw NarrateError(.unauthenticated, "X-Slack-Request-Timestamp is more than 5 minutes from now (a replay, or a wrong clock)")
        }
        guard let signature, signature.hasPrefix("v0="), let given = hexBytes(signature.dropFirst(3)) else {
            throw NarrateError(.unauthenticated, "missing or malformed X-Slack-Signature")
        }
        var message = Array("v0:\(timestamp):".utf8)
        message += body
        let expected = Array(HMAC<SHA256>.authenticationCode(for: message, using: SymmetricKey(data: Array(secret.utf8))))
        guard constantTimeEqual(expected, given) else {
            throw NarrateError(.unauthenticated, "X-Slack-Signature does not match the signing secret")
        }
    }

    static func verifyToken(expected: String, given: String?, setting: String = "mattermost_token") throws {
        guard let given, constantTimeEqual(Array(expected.utf8), Array(given.utf8)) else {
            throw NarrateError(.unauthenticated, "the token does not match \(setting)")
        }
    }

    /// `X-Line-Signature: base64(HMAC-SHA256(channel secret, body))`.
    static func verifyLine(secret: String, signature: String?, body: [UInt8]) throws {
        guard let signature, let given = Data(base64Encoded: signature) else {
            throw NarrateError(.unauthenticated, "missing or malformed X-Line-Signature")
        }
        let expected = Array(HMAC<SHA256>.authenticationCode(for: body, using: SymmetricKey(data: Array(secret.utf8))))
        guard constantTimeEqual(expected, Array(given)) else {
            throw NarrateError(.unauthenticated, "X-Line-Signature does not match line_channel_secret")
        }
    }

    /// Discord signs `timestamp + body` with the application's Ed25519 key. The timestamp (Unix
    /// seconds) must be within 5 minutes of now, so a captured interaction cannot be sent later.
    static func verifyDiscord(publicKey: String, timestamp: String?, signature: String?, body: [UInt8], now: Date) throws {
        guard let timestamp, let signature, let signatureBytes = hexBytes(Substring(signature)), let keyBytes = hexBytes(Substring(publicKey)),
            let key = try? Curve25519.Signing.PublicKey(rawRepresentation: keyBytes)
        else {
            throw NarrateError(.unauthenticated, "missing or malformed X-Signature-Ed25519 / X-Signature-Timestamp")
        }
        guard !timestamp.isEmpty, timestamp.utf8.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }), let seconds = Double(timestamp) else {
            throw NarrateError(.unauthenticated, "X-Signature-Timestamp must be Unix seconds")
        }
        guard abs(now.timeIntervalSince1970 - seconds) <= slackWindow else {
            throw NarrateError(.unauthenticated, "X-Signature-Timestamp is more than 5 minutes from now (a replay, or a wrong clock)")
        }
        guard key.isValidSignature(signatureBytes, for: Array(timestamp.utf8) + body) else {
            throw NarrateError(.unauthenticated, "X-Signature-Ed25519 does not match discord_public_key")
        }
    }

    static func constantTimeEqual(_ a: [UInt8], _ b: [UInt8]) -> Bool {
        var difference = UInt8(a.count == b.count ? 0 : 1)
        for index in 0..<max(a.count, b.count) {
            difference |= (index < a.count ? a[index] : 0) ^ (index < b.count ? b[index] : 0)
        }
        return difference == 0
    }

    static func hexBytes(_ text: Substring) -> [UInt8]? {
        guard text.utf8.count % 2 == 0 else { return nil }
        var out: [UInt8] = []
        var iterator = text.utf8.makeIterator()
        while let high = iterator.next(), let low = iterator.next() {
            guard let h = BodyReader.hex(high), let l = BodyReader.hex(low) else { return nil }
            out.append(h << 4 | l)
        }
        return out
    }
}
