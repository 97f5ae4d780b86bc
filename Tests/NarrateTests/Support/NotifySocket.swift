import Foundation
import Synchronization
#if canImport(Glibc)
import Glibc
#endif

/// A `NOTIFY_SOCKET` owned by the test: collects what the daemon tells systemd.
final class NotifySocket: Sendable {
    let path: String
    private let fd: Int32
    private let messages = Mutex<[String]>([])

    init() throws {
        path = temporaryDirectory("notify") + "/notify.sock"
        fd = socket(AF_UNIX, Int32(SOCK_DGRAM.rawValue), 0)
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        withUnsafeMutableBytes(of: &address.sun_path) { buffer in
            for (index, byte) in path.utf8.enumerated() { buffer[index] = byte }
        }
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_un>.size)) }
        }
        guard bound == 0 else { throw NSError(domain: "notify", code: Int(errno)) }
        var timeout = timeval(tv_sec: 0, tv_usec: 100_000)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
    }

    deinit { close(fd) }

    /// Reads whatever arrived.
    func drain() -> [String] {
        var buffer = [UInt8](repeating: 0, count: 4_096)
        while true {
            let count = recv(fd, &buffer, buffer.count, 0)
            if count <= 0 { break }
            let message = String(decoding: buffer[0..<count], as: UTF8.self)
            messages.withLock { $0.append(message) }
        }
        return messages.withLock { $0 }
    }

    /// Waits until a message satisfies `match`, up to `seconds`.
    func waitFor(_ seconds: TimeInterval = 20, _ match: (String) -> Bool) async throws -> Bool {
        let deadline = Date().addingTimeInterval(seconds)
        while Date() < deadline {
            if drain().contains(where: match) { return true }
            try await Task.sleep(nanoseconds: 50_000_000)
        }
        return false
    }
}
