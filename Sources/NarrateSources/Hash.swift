import Crypto

/// Short stable digests for source keys.
enum Hash {
    static func short(_ text: String) -> String {
        SHA256.hash(data: Array(text.utf8)).prefix(8).map { byte in
            let digits = Array("0123456789abcdef".utf8)
            return String(decoding: [digits[Int(byte >> 4)], digits[Int(byte & 0xf)]], as: UTF8.self)
        }.joined()
    }
}
