import NarrateModel
import NarrateConfig
import NarrateReport
import NarrateTargets

/// Who asks a use case for something that not everyone may have: a person of the config, as a
/// front end established them (a token, a chat identity, the socket's peer, `$USER`), or a
/// shell on the server that is no person of the config but opens the store file itself.
public enum Requester: Sendable {
    case person(Caller)
    /// Its Unix user: it could read and change the store file directly, so it is refused
    /// nothing the file holds.
    case storeOwner(user: String)

    /// The name kept with what it records.
    public var name: String {
        switch self {
        case .person(let caller): caller.person.id
        case .storeOwner(let user): user.isEmpty ? "unknown" : user
        }
    }

    /// An admin of the config, or the store's owner.
    public var isTrusted: Bool {
        switch self {
        case .person(let caller): caller.isAdmin
        case .storeOwner: true
        }
    }
}
