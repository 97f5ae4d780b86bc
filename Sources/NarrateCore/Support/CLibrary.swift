#if canImport(Glibc)
import Glibc
#endif

/// Functions of the C library that Swift's Glibc module does not declare (those of malloc.h,
/// GNU extensions), found by name in the process.
enum CLibrary {
    /// The function `name` as `type` (a `@convention(c)` function type), or nil where the C
    /// library has none.
    static func function<Function>(_ name: String, as type: Function.Type) -> Function? {
        dlsym(dlopen(nil, RTLD_NOW), name).map { unsafeBitCast($0, to: type) }
    }
}
