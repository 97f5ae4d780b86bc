/// A response header line (`Name: value\r\n`) read from its bytes: the name lowercased, both
/// sides without the spaces and tabs HTTP allows around them, the value without its line break.
/// (Foundation's trimming, by way of NSString, was the largest part of starting a transfer.)
struct HeaderField {
    let name: String
    let value: String

    init?(_ line: UnsafeRawBufferPointer) {
        guard let colon = line.firstIndex(of: UInt8(ascii: ":")) else { return nil }
        func trimmed(_ part: Slice<UnsafeRawBufferPointer>) -> Slice<UnsafeRawBufferPointer> {
            let blank: (UInt8) -> Bool = { $0 == 0x20 || $0 == 0x09 || $0 == 0x0D || $0 == 0x0A }
            guard let first = part.firstIndex(where: { !blank($0) }), let last = part.lastIndex(where: { !blank($0) }) else {
                return part[part.startIndex..<part.startIndex]
            }
            return part[first...last]
        }
        name = String(decoding: trimmed(line[..<colon]).map { $0 >= 0x41 && $0 <= 0x5A ? $0 | 0x20 : $0 }, as: UTF8.self)
        value = String(decoding: trimmed(line[(colon + 1)...]), as: UTF8.self)
    }
}
