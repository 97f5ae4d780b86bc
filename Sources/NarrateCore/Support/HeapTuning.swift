#if canImport(Glibc)
import Glibc
#endif

/// How glibc's allocator grows and shrinks narrate's heap.
///
/// Why: a report cycle allocates and frees in bursts on several threads, and with glibc's
/// defaults each arena grew by a little (`mprotect`) and gave its top back as soon as 128 KiB
/// were free (`madvise`), again and again: a tenth of a 50-team dry run was the kernel doing
/// that. A command's heap now grows 4 MiB at a time and keeps up to 32 MiB free at its top.
/// That is address space more than resident memory (the dry run's peak resident size stayed at
/// 41–43 MiB). The daemon and the check-in service keep glibc's defaults: between slots they hold
/// only what they need.
public enum HeapTuning {
    /// `M_TRIM_THRESHOLD` and `M_TOP_PAD` of glibc's malloc.h.
    static let trimThreshold: Int32 = -1
    static let topPad: Int32 = -2

    /// Applies the settings; false when the C library has no `mallopt` or refused one.
    @discardableResult
    public static func apply() -> Bool {
        guard let mallopt = CLibrary.function("mallopt", as: (@convention(c) (Int32, Int32) -> Int32).self) else { return false }
        return mallopt(topPad, 4 << 20) == 1 && mallopt(trimThreshold, 32 << 20) == 1
    }
}
