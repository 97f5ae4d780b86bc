import Foundation

/// Runs a program with a time limit and collects its output (git, a source's command).
enum ProcessRunner {
    struct Result {
        var status: Int32
        var stdout: Data
        var stderr: String
        var timedOut: Bool
    }

    static func run(_ arguments: [String], timeout: TimeInterval, environment: [String: String]? = nil) async throws -> Result {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: arguments[0].hasPrefix("/") ? arguments[0] : "/usr/bin/env")
        process.arguments = arguments[0].hasPrefix("/") ? Array(arguments.dropFirst()) : arguments
        if let environment { process.environment = environment }
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        process.standardInput = FileHandle.nullDevice
        try process.run()
        // Read both pipes while it runs, so a chatty program never blocks on a full pipe.
        async let output = Task.detached { out.fileHandleForReading.readDataToEndOfFile() }.value
        async let errors = Task.detached { err.fileHandleForReading.readDataToEndOfFile() }.value
        let deadline = Date().addingTimeInterval(timeout)
        var timedOut = false
        while process.isRunning {
            if Date() >= deadline {
                timedOut = true
                process.terminate()
                try? await Task.sleep(nanoseconds: 200_000_000)
                if process.isRunning { kill(process.processIdentifier, SIGKILL) }
                break
            }
            try? await Task.sleep(nanoseconds: 20_000_000)
        }
        process.waitUntilExit()
        let stdout = await output
        let stderr = String(decoding: await errors, as: UTF8.self)
        return Result(status: process.terminationStatus, stdout: stdout, stderr: stderr, timedOut: timedOut)
    }
}
