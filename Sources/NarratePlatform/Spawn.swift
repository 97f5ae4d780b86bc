import Glibc

/// Starts a program with `posix_spawn`, in a process group of its own, with the descriptors of
/// this process closed in the child but the three it is given, and awaits its end on a thread of
/// its own (``Blocking``), so neither the start nor the wait touches libdispatch's pool.
///
/// Why not Foundation's `Process`: its `run()` on Linux copies 256 bytes of every
/// `/proc/self/fd` entry and now and then reads past the end of a page; the process dies with
/// SIGSEGV (swift-corelibs-foundation#5472, fixed upstream, not in Swift 6.3's release). Here the
/// descriptors to close are listed with `readdir` and only each entry's name is read.
/// swift-subprocess starts programs safely too, but waits with a one-second `Task.sleep` loop on
/// the global executor: the idle daemon would wake every second.
public enum Spawn {
    public struct Failed: Error, CustomStringConvertible {
        public let program: String
        public let code: Int32
        public var description: String { "cannot start \(program): \(String(cString: strerror(code)))" }
    }

    /// Starts `arguments[0]` (a path) with `arguments`, `environment` (this process's when nil),
    /// stdin from /dev/null and stdout / stderr to the given descriptors; returns its process id.
    public static func start(_ arguments: [String], environment: [String: String]?, stdout: Int32, stderr: Int32) throws -> pid_t {
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_adddup2(&actions, stdout, 1)
        posix_spawn_file_actions_adddup2(&actions, stderr, 2)
        // Every descriptor open now, and the numbers just above them: one another thread opens
        // meanwhile takes the lowest free number, so it is among these too. (Closing a number
        // that is not open is no error for posix_spawn.)
        let highest = openDescriptors().max() ?? 2
        for descriptor in 3..<max(highest + 256, 256) { posix_spawn_file_actions_addclose(&actions, Int32(descriptor)) }

        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        var none = sigset_t(), all = sigset_t()
        sigemptyset(&none)
        sigfillset(&all)
        // Default dispositions (the daemon ignores SIGPIPE) and no blocked signals in the child.
        posix_spawnattr_setsigmask(&attributes, &none)
        posix_spawnattr_setsigdefault(&attributes, &all)
        posix_spawnattr_setpgroup(&attributes, 0)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETPGROUP | POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF))

        let argv = arguments.map { strdup($0) } + [nil]
        let variables = environment.map { $0.map { strdup("\($0.key)=\($0.value)") } + [nil] }
        defer {
            for pointer in argv { free(pointer) }
            for pointer in variables ?? [] { free(pointer) }
        }
        var pid: pid_t = 0
        let code = variables.map { posix_spawn(&pid, arguments[0], &actions, &attributes, argv, $0) }
            ?? posix_spawn(&pid, arguments[0], &actions, &attributes, argv, environ)
        guard code == 0 else { throw Failed(program: arguments[0], code: code) }
        return pid
    }

    /// Waits for `pid` to end; its exit code, or the number of the signal that ended it.
    public static func exit(of pid: pid_t) async -> Int32 {
        await Blocking.run(name: "narrate-wait", stackSize: 64 * 1024) {
            var status: Int32 = 0
            while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
            // WIFEXITED / WEXITSTATUS / WTERMSIG, which Swift does not import.
            return status & 0x7f == 0 ? (status >> 8) & 0xff : status & 0x7f
        }
    }

    /// The descriptors open in this process, from `/proc/self/fd` (each entry's name only).
    static func openDescriptors() -> [Int32] {
        guard let directory = opendir("/proc/self/fd") else { return Array(3..<1024) }
        defer { closedir(directory) }
        let own = dirfd(directory)
        var found: [Int32] = []
        while let entry = readdir(directory) {
            // `d_name` is a fixed-size field of which only the name's bytes are valid: read
            // through a pointer up to its NUL, never copy the field.
            let field = UnsafeRawPointer(entry) + MemoryLayout<dirent>.offset(of: \dirent.d_name)!
            let name = String(cString: field.assumingMemoryBound(to: CChar.self))
            if let descriptor = Int32(name), descriptor != own { found.append(descriptor) }
        }
        return found
    }
}
