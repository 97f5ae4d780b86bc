import NarrateModel
import NarrateTOML
import NarrateTargets
import Foundation

/// Whether a target URL can ever be sent to: http or https, a host, no spaces. The message never
/// quotes the URL (it may be a secret).
public enum URLCheck {
    public static func problem(_ url: String) -> String? {
        if url.contains(where: { $0.isWhitespace }) { return "the URL contains a space or line break" }
        guard let components = URLComponents(string: url), let scheme = components.scheme?.lowercased() else {
            return "not a URL; write e.g. https://hooks.example.org/…"
        }
        guard scheme == "http" || scheme == "https" else { return "the URL must start with https:// (or http://), not \(scheme)://" }
        guard let host = components.host, !host.isEmpty else { return "the URL has no host" }
        return nil
    }
}
