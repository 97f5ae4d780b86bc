import NarrateModel
import NarrateReport
import Foundation

/// A Standard Webhooks signing secret, as `check` and the webhook target read it.
public enum WebhookSigningKey {
    /// The key bytes of a `whsec_<base64>` secret (the prefix may be left out), or nil.
    public static func bytes(_ secret: String) -> Data? {
        let encoded = secret.hasPrefix("whsec_") ? String(secret.dropFirst(6)) : secret
        guard let key = Data(base64Encoded: encoded), !key.isEmpty else { return nil }
        return key
    }
}
