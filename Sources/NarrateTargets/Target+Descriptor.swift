import NarrateModel
import NarrateReport
import NarrateModel

extension Target.Kind {
    /// Everything narrate knows about this kind: keys, dialect, limit, rate, requests, responses.
    public var descriptor: any TargetDescriptor { TargetDescriptors.byKind[self]! }
}

extension Target {
    public var descriptor: any TargetDescriptor { kind.descriptor }

    /// Messages per second: the target's `rate`, else the platform's published limit.
    public var effectiveRate: Double { rate ?? descriptor.defaultRate }
}

extension Channel {
    /// Why `address` cannot be used on a target of `kind`, or nil when it can (the kind's
    /// descriptor knows its addresses).
    public static func problem(address: String, kind: Target.Kind) -> String? {
        kind.descriptor.personalAddressProblem(address)
    }
}
