import Foundation
import Testing
@testable import NarratePlatform
@testable import NarrateSources

/// Programs (git, a source's command) are started by `Spawn`, not Foundation's `Process`, whose
/// `run()` on Linux now and then crashed the whole process reading `/proc/self/fd`
/// (swift-corelibs-foundation#5472). What `Process` did for narrate, `Spawn` must do too.
@Suite struct SpawnTests {
    /// A program sees only its stdin, stdout and stderr: no pipe, socket or store of this process
    /// (a pipe held by a child would keep another program's output from ending).
    @Test func aProgramGetsNoneOfThisProcesssDescriptors() async throws {
        var pipes: [[Int32]] = []
        for _ in 0..<200 {
            var ends: [Int32] = [0, 0]
            #expect(pipe(&ends) == 0)
            pipes.append(ends)
        }
        defer { for ends in pipes { close(ends[0]); close(ends[1]) } }
        let result = try await ProcessRunner.run(["/bin/sh", "-c", "ls /proc/self/fd"], timeout: 10)
        let open = Set(String(decoding: result.stdout, as: UTF8.self).split(separator: "\n").compactMap { Int($0) })
        // 0, 1 and 2, and the directory `ls` itself is reading.
        #expect(open.count <= 4 && open.isSuperset(of: [0, 1, 2]), "\(open.sorted())")
    }

    @Test func theExitCodeOrTheSignalIsReported() async throws {
        #expect(try await ProcessRunner.run(["/bin/sh", "-c", "echo out; echo err >&2; exit 7"], timeout: 10).status == 7)
        let both = try await ProcessRunner.run(["/bin/sh", "-c", "echo out; echo err >&2"], timeout: 10)
        #expect(String(decoding: both.stdout, as: UTF8.self) == "out\n" && both.stderr == "err\n")
        #expect(try await ProcessRunner.run(["/bin/sh", "-c", "kill -TERM $$"], timeout: 10).status == SIGTERM)
        // A name is looked up on PATH (through /usr/bin/env), with the environment given.
        let named = try await ProcessRunner.run(["sh", "-c", "echo $GREETING"], timeout: 10, environment: ["GREETING": "hi", "PATH": "/usr/bin:/bin"])
        #expect(String(decoding: named.stdout, as: UTF8.self) == "hi\n")
    }

    @Test func aProgramThatIsNotThereIsAnErrorThatSaysSo() async throws {
        await #expect {
            try await ProcessRunner.run(["/nonexistent/tool"], timeout: 10)
        } throws: { "\($0)" == "cannot start /nonexistent/tool: No such file or directory" }
    }
}
