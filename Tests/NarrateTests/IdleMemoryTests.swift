import Foundation
import Testing
@testable import NarrateCore

@Suite struct IdleMemoryTests {
    /// Only mappings of a file that are never written are handed back: code and read-only data,
    /// not the heap, stacks, anonymous memory or a library's written data.
    @Test func onlyReadOnlyFileMappingsAreChosen() {
        let maps = """
            55d0c0000000-55d0c0400000 r--p 00000000 08:01 1234   /usr/local/bin/narrate
            55d0c0400000-55d0c1000000 r-xp 00400000 08:01 1234   /usr/local/bin/narrate
            55d0c1000000-55d0c1100000 rw-p 01000000 08:01 1234   /usr/local/bin/narrate
            55d0c2000000-55d0c2100000 rw-p 00000000 00:00 0      [heap]
            7f0000000000-7f0000021000 rw-p 00000000 00:00 0
            7f0000100000-7f0000200000 r-xp 00000000 08:01 99     /usr/lib/x86_64-linux-gnu/lib with space.so
            7ffd00000000-7ffd00021000 rw-p 00000000 00:00 0      [stack]
            7ffd00100000-7ffd00102000 r-xp 00000000 00:00 0      [vdso]
            7ffd00200000-7ffd00201000 ---p 00000000 08:01 99     /usr/lib/x86_64-linux-gnu/libx.so
            """
        #expect(IdleMemory.readOnlyFileMappings(maps) == [
            0x55d0_c000_0000..<0x55d0_c040_0000, 0x55d0_c040_0000..<0x55d0_c100_0000, 0x7f00_0010_0000..<0x7f00_0020_0000,
        ])
    }

    /// After a release, fewer of this process's file pages are resident (the test binary's code
    /// ran moments ago), and the process goes on running that code.
    /// The heap settings reach glibc (`mallopt` found and accepted both); their effect is a
    /// benchmark figure (docs/benchmarks.md), not a test's.
    @Test func heapTuningIsAccepted() {
        #expect(HeapTuning.apply())
    }

    @Test func releaseHandsBackResidentFilePages() throws {
        let before = try Self.residentFileKiB()
        IdleMemory.release()
        let after = try Self.residentFileKiB()
        #expect(after < before, "resident file-backed pages: \(before) KiB before, \(after) KiB after")
        #expect(IdleMemory.readOnlyFileMappings(try #require(IdleMemory.read("/proc/self/maps"))).count > 3)
    }

    /// Resident pages backed by files: all resident pages less the anonymous ones (smaps_rollup).
    static func residentFileKiB() throws -> Int {
        let rollup = try #require(IdleMemory.read("/proc/self/smaps_rollup"))
        func field(_ name: String) -> Int {
            rollup.split(separator: "\n").first { $0.hasPrefix(name + ":") }
                .flatMap { Int($0.split(separator: " ").dropFirst().first ?? "") } ?? 0
        }
        return field("Rss") - field("Anonymous")
    }
}
