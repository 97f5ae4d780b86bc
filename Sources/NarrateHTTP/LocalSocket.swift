import Foundation
import HTTPTypes
import Hummingbird
import Logging
import NarrateApp
import NarrateModel
import NarrateReport
import NIOCore
#if canImport(Glibc)
import Glibc
#endif

/// The daemon's local socket: anyone on the server may connect (mode 0666); the kernel tells
/// the service who did, so nobody needs a token and nobody can claim to be someone else.
enum LocalSocket {
    /// Makes the socket's directory and removes a socket left by a process that is gone.
    static func prepare(_ path: String) throws -> String {
        let directory = (path as NSString).deletingLastPathComponent
        if !FileManager.default.fileExists(atPath: directory) {
            do {
                try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o755])
            } catch {
                throw NarrateError(.unavailable, "cannot create \(directory) for the socket: \(error.localizedDescription)")
            }
        }
        var info = stat()
        if lstat(path, &info) == 0 {
            guard info.st_mode & S_IFMT == S_IFSOCK else {
                throw NarrateError(.unavailable, "\(path) exists and is not a socket; move it away or choose another [http] socket")
            }
            if isAnswering(path) {
                throw NarrateError(.conflict, "another narrate is serving \(path) already")
            }
            unlink(path)
        }
        return path
    }

    /// Opens the socket to everyone on the machine once it is bound.
    static func open(_ path: String, logger: Logger) {
        if chmod(path, 0o666) != 0 {
            logger.warning("cannot make \(path) reachable by other users: \(String(cString: strerror(errno)))")
        }
        logger.notice("local check-ins on \(path)")
    }

    /// Whether a process accepts connections on `path`.
    static func isAnswering(_ path: String) -> Bool {
        let fd = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { return false }
        defer { close(fd) }
        guard let address = UnixAddress(path) else { return false }
        return address.withSockaddr { connect(fd, $0, $1) == 0 }
    }
}

/// Linux's `struct ucred` (pid_t, uid_t, gid_t), which the Glibc module does not export.
struct PeerCredential: Sendable {
    var pid: Int32 = 0
    var uid: UInt32 = 0
    var gid: UInt32 = 0
}

/// Who is on the other end of the local socket, from the kernel (`SO_PEERCRED`).
enum PeerCredentials {
    static func uid(of channel: any NIOCore.Channel) async throws -> uid_t {
        guard let provider = channel as? any SocketOptionProvider else {
            throw NarrateError(.unauthenticated, "this connection carries no peer credentials")
        }
        let credentials: PeerCredential = try await provider.unsafeGetSocketOption(
            level: SocketOptionLevel(SOL_SOCKET), name: SocketOptionName(SO_PEERCRED)
        ).get()
        return credentials.uid
    }

    static func userName(_ uid: uid_t) -> String? {
        var entry = passwd()
        var result: UnsafeMutablePointer<passwd>?
        var buffer = [CChar](repeating: 0, count: 4096)
        guard getpwuid_r(uid, &entry, &buffer, buffer.count, &result) == 0, result != nil, let name = entry.pw_name else { return nil }
        return String(cString: name)
    }

    /// The person whose `unix_user` is the connecting user. `X-Narrate-As` acts for someone else,
    /// for admins (and root, who can read the store anyway).
    static func caller(_ request: Request, _ context: ServerContext, _ app: AppContext) async throws -> Caller {
        let uid = try await uid(of: context.channel)
        let user = userName(uid) ?? "uid \(uid)"
        let me = app.config.persons.first { $0.unixUser == user }
        let isAdmin = uid == 0 || me.map(app.config.isAdmin) ?? false
        if let id = request.headers[.narrateAs], !id.isEmpty {
            let person = try app.config.requirePerson(id)
            guard person.id == me?.id || isAdmin else {
                let who = me.map { "\($0.id) is not" } ?? "\(user) is no person of the config, so not"
                throw HTTPProblem(.forbidden, "--as \(id) needs an admin ([narrate] admins); \(who) one", field: "as")
            }
            return Caller(person: person, isAdmin: isAdmin)
        }
        guard let me else {
            throw HTTPProblem(
                .forbidden,
                "no person has unix_user = \"\(user)\"; ask an admin to add it to your [[person]] in \(app.config.file)", field: "unix_user")
        }
        return Caller(person: me, isAdmin: isAdmin)
    }
}

extension HTTPField.Name {
    /// The CLI's `--as` over the local socket.
    static let narrateAs = Self("X-Narrate-As")!
}
