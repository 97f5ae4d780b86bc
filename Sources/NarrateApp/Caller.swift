import NarrateModel
import NarrateConfig
import NarrateReport
import NarrateTargets

/// Who is asking, as the front end established it (the CLI from `$USER` and `--as`, later a
/// token or a chat identity): the person acted for, and whether the one asking is an admin.
public struct Caller: Sendable {
    /// The person the request acts for.
    public var person: Person
    /// The one asking is listed in `admins`: they may act for others and fix anyone's entries.
    public var isAdmin: Bool

    public init(person: Person, isAdmin: Bool) {
        self.person = person
        self.isAdmin = isAdmin
    }
}

extension Config {
    /// `person` asking for themselves: an admin where `admins` lists them.
    public func caller(_ person: Person) -> Caller { Caller(person: person, isAdmin: isAdmin(person)) }
}
