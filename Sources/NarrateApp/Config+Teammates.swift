import NarrateModel
import NarrateConfig
import NarrateReport
import NarrateTargets

extension Config {
    /// Whom `reader` shares a team with (as a member or its manager), themselves included; nil
    /// when they may see everyone (an admin, or the store's owner).
    public func teammates(of reader: Requester) -> Set<String>? {
        guard case .person(let caller) = reader, !caller.isAdmin else { return nil }
        let id = caller.person.id
        var people: Set<String> = [id]
        for team in teams where team.members.contains(id) || team.manager == id {
            people.formUnion(team.members)
            if let manager = team.manager { people.insert(manager) }
        }
        return people
    }
}
