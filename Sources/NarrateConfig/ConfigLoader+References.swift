import NarrateModel
import NarrateTOML
import NarrateTargets
/// Cross-checks between sections: every id that is named must exist, and ids are unique.
extension ConfigLoader {
    func checkReferences(_ config: Config) {
        if config.teams.isEmpty {
            sink.add(.error, "", "the config defines no team ([[team]] with id, members and targets); nothing would be reported")
        }
        duplicates(config.persons.map(\.id), personPaths, "person")
        duplicates(config.teams.map(\.id), teamPaths, "team")
        duplicates(config.kpis.map(\.id), kpiPaths, "KPI")
        duplicates(config.schedules.map(\.id), schedulePaths, "schedule")
        duplicates(config.targets.map(\.id), targetPaths, "target")

        let persons = KnownIDs(config.persons.map(\.id))
        let targets = KnownIDs(config.targets.map(\.id))
        var unixUsers: [String: String] = [:]
        for (person, path) in zip(config.persons, personPaths) {
            guard let user = person.unixUser else { continue }
            if let other = unixUsers[user] {
                sink.add(.error, "\(path).unix_user", "unix_user \"\(user)\" is already used by \(other)")
            }
            unixUsers[user] = person.id
        }
        for (person, path) in zip(config.persons, personPaths) {
            for (index, channel) in person.notify.enumerated() {
                guard let target = config.target(channel.target) else {
                    reference([channel.target], "\(path).notify[\(index)]", known: targets, what: "target", list: false)
                    continue
                }
                if let problem = Channel.problem(address: channel.address, kind: target.kind) {
                    sink.add(.error, "\(path).notify[\(index)]", problem)
                }
            }
        }
        for (team, path) in zip(config.teams, teamPaths) {
            reference(team.members, "\(path).members", known: persons, what: "person")
            if team.members.isEmpty, sink.map.lines["\(path).members"] != nil {
                sink.add(.error, "\(path).members", "a team needs at least one member")
            }
            if let manager = team.manager { reference([manager], "\(path).manager", known: persons, what: "person", list: false) }
            reference(team.targets, "\(path).targets", known: targets, what: "target")
            reference(team.managerTargets, "\(path).manager_targets", known: targets, what: "target")
            if team.targets.isEmpty {
                sink.add(.warning, path, "team \"\(team.id)\" has no targets: its reports go nowhere")
            }
        }
        if !config.admins.isEmpty {
            reference(config.admins, "narrate.admins", known: persons, what: "person", list: true)
        }
        let teams = KnownIDs(config.teams.map(\.id))
        for (kpi, path) in zip(config.kpis, kpiPaths) where !kpi.team.isEmpty {
            reference([kpi.team], "\(path).team", known: teams, what: "team", list: false)
            if let owner = kpi.owner { reference([owner], "\(path).owner", known: persons, what: "person", list: false) }
        }
        for (schedule, path) in zip(config.schedules, schedulePaths) where !schedule.team.isEmpty {
            reference([schedule.team], "\(path).team", known: teams, what: "team", list: false)
        }
        duplicates(config.sources.map(\.id), sourcePaths, "source")
        // Identities nothing reads are probably a source that was forgotten.
        let kinds = Set(config.sources.map(\.kind))
        for (person, path) in zip(config.persons, personPaths) {
            if !person.git.isEmpty && !kinds.contains(.git) {
                sink.add(.warning, "\(path).git", "no [[source]] of kind \"git\" reads it; it has no effect")
            }
            if person.github != nil && !kinds.contains(.github) {
                sink.add(.warning, "\(path).github", "no [[source]] of kind \"github\" reads it; it has no effect")
            }
        }
        for (source, path) in zip(config.sources, sourcePaths) {
            reference(source.teams, "\(path).teams", known: teams, what: "team")
            reference(source.people, "\(path).people", known: persons, what: "person")
        }
        for (target, path) in zip(config.targets, targetPaths) {
            if case .file(let pattern) = target.endpoint, !pattern.contains("{date}") && !pattern.contains("{schedule}") {
                sink.add(.warning, "\(path).path", "every report overwrites \"\(pattern)\"; add {date} to keep one file per report")
            }
        }
    }

    private func duplicates(_ ids: [String], _ paths: [String], _ what: String) {
        var seen: Set<String> = []
        for (id, path) in zip(ids, paths) where !id.isEmpty {
            if !seen.insert(id).inserted {
                sink.add(.error, "\(path).id", "duplicate \(what) id \"\(id)\"")
            }
        }
    }

    /// Reports each id in `ids` that is not in `known`, with a suggestion and the known ids.
    func reference(_ ids: [String], _ path: String, known: KnownIDs, what: String, list: Bool = true) {
        for (index, id) in ids.enumerated() where !known.set.contains(id) {
            let hint = Suggestion.closest(to: id, in: known.list).map { "did you mean \"\($0)\"? " } ?? ""
            let knownList = known.list.isEmpty ? "none are defined" : "known: \(known.list.joined(separator: ", "))"
            sink.add(.error, list ? "\(path)[\(index)]" : path, "\"\(id)\" is not a \(what) (\(hint)\(knownList))")
        }
    }
}

/// The ids a reference may name: in order for suggestions and messages, in a set for the check
/// (a thousand members checked against a list of a thousand people was a tenth of `check`).
struct KnownIDs {
    let list: [String]
    let set: Set<String>

    init(_ list: [String]) {
        self.list = list
        set = Set(list)
    }
}
