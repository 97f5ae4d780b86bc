import Crypto
import NarrateModel
import NarrateReport

/// Short stable digests for source keys.
enum Hash {
    static func short(_ text: String) -> String {
        Hex.string(SHA256.hash(data: Array(text.utf8)).prefix(8))
    }
}
