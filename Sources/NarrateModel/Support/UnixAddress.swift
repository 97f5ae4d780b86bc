#if canImport(Glibc)
import Glibc
#endif

/// A Unix socket address for `connect` or `sendto`: the daemon's notify socket and its local
/// check-in socket both need one, and Swift has no initializer for `sockaddr_un`.
public struct UnixAddress {
    var storage = sockaddr_un()
    let length: socklen_t

    /// nil when the path does not fit `sun_path`. A path starting with '@' is in the abstract
    /// namespace (a leading NUL byte).
    public init?(_ path: String) {
        storage.sun_family = sa_family_t(AF_UNIX)
        var bytes = Array(path.utf8)
        if bytes.first == UInt8(ascii: "@") { bytes[0] = 0 }
        guard bytes.count < MemoryLayout.size(ofValue: storage.sun_path) else { return nil }
        withUnsafeMutableBytes(of: &storage.sun_path) { buffer in
            for (index, byte) in bytes.enumerated() { buffer[index] = byte }
        }
        length = socklen_t(MemoryLayout<sa_family_t>.size + bytes.count + (bytes.first == 0 ? 0 : 1))
    }

    /// Calls `body` with the address as a `sockaddr` pointer and its length.
    public func withSockaddr<T>(_ body: (UnsafePointer<sockaddr>, socklen_t) -> T) -> T {
        withUnsafePointer(to: storage) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { body($0, length) }
        }
    }
}
