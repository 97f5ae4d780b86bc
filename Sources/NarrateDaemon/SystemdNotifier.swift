import Foundation
import NarrateModel
#if canImport(Glibc)
import Glibc
#endif

/// The sd_notify protocol without libsystemd: datagrams to `$NOTIFY_SOCKET`.
public struct SystemdNotifier: Sendable {
    let path: String?

    public init(environment: [String: String]) {
        path = environment["NOTIFY_SOCKET"].flatMap { $0.isEmpty ? nil : $0 }
    }

    public var isActive: Bool { path != nil }

    /// Sends `READY=1`, `STOPPING=1`, `WATCHDOG=1`, … ; a missing socket makes this a no-op.
    @discardableResult
    public func send(_ state: String) -> Bool {
        guard let path else { return false }
        let fd = socket(AF_UNIX, Int32(SOCK_DGRAM.rawValue), 0)
        guard fd >= 0 else { return false }
        defer { close(fd) }
        guard let address = UnixAddress(path) else { return false }
        let sent = state.withCString { message in
            address.withSockaddr { sendto(fd, message, strlen(message), 0, $0, $1) }
        }
        return sent >= 0
    }

    /// `MONOTONIC_USEC=…` for a `RELOADING=1` message: CLOCK_MONOTONIC in microseconds.
    public static func monotonicMicroseconds() -> UInt64 {
        var time = timespec()
        clock_gettime(CLOCK_MONOTONIC, &time)
        return UInt64(time.tv_sec) * 1_000_000 + UInt64(time.tv_nsec) / 1_000
    }

    /// Half of `WATCHDOG_USEC`, when the watchdog is on and meant for this process.
    public static func watchdogInterval(environment: [String: String])
        -> TimeInterval?
    {
        guard let text = environment["WATCHDOG_USEC"], let usec = Double(text), usec > 0 else { return nil }
        if let pid = environment["WATCHDOG_PID"], pid != String(getpid()) { return nil }
        return usec / 2 / 1_000_000
    }
}
