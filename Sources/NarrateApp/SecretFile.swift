import Foundation
import Glibc
import NarrateModel

/// A file only its owner may read, from its first byte: created 0600 (umask cannot widen it),
/// then renamed over any earlier one.
enum SecretFile {
    static func write(_ text: String, to path: String) throws {
        let temporary = path + ".tmp-\(getpid())"
        unlink(temporary)
        let descriptor = open(temporary, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o600)
        guard descriptor >= 0 else { throw NarrateError(.unavailable, "cannot write \(path): \(String(cString: strerror(errno)))") }
        let bytes = Array(text.utf8)
        let written = bytes.withUnsafeBytes { Glibc.write(descriptor, $0.baseAddress, $0.count) }
        let closed = close(descriptor)
        guard written == bytes.count, closed == 0, rename(temporary, path) == 0 else {
            unlink(temporary)
            throw NarrateError(.unavailable, "cannot write \(path): \(String(cString: strerror(errno)))")
        }
    }
}
