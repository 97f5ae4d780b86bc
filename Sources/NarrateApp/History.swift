import Foundation
import NarrateModel
import NarrateConfig
import NarrateReport
import NarrateTargets
import NarrateStore

/// What `narrate history` shows: entries and report runs, oldest first.
public struct History: Sendable, Codable {
    public struct Item: Sendable, Codable {
        public var id: String
        public var person: String
        public var kind: String
        public var text: String
        public var stage: String?
        public var kpi: String?
        public var at: String
        public var state: String?
        public var closedAt: String?
        public var note: String?
    }

    public struct RunItem: Sendable, Codable {
        public var schedule: String
        public var team: String
        public var slot: String
        public var state: String
        public var at: String
        public var detail: String?
        /// Run by hand (`narrate now`), not at a cron slot.
        public var manual: Bool
    }

    public var entries: [Item]
    public var runs: [RunItem]
}

/// `narrate history`: entries and runs, filtered by team, person and a first day.
public struct HistoryQuery: Sendable {
    let context: AppContext

    /// Entries and runs, filtered by team, person and a first day (in the config's zone).
    /// `reader` sees the entries and runs of their own teams (everyone's as an admin, or as the
    /// shell that owns the store file).
    public func history(
        team: String? = nil, person: String? = nil, since: LocalDate? = nil, visibleTo reader: Requester = .storeOwner(user: "")
    ) async throws -> History {
        let config = context.config
        let store = context.store
        let visible = config.teammates(of: reader)
        var persons: [String]? = visible.map { Array($0).sorted() }
        var teams: [String]? = visible.map { people in config.teams.filter { !people.isDisjoint(with: $0.members) }.map(\.id) }
        if let team {
            let found = try config.requireTeam(team)
            if let teams, !teams.contains(found.id) {
                throw NarrateError(.forbidden, "team \(found.id) is not yours; only its people and admins see its history")
            }
            persons = found.members
            teams = [found.id]
        }
        if let person {
            let found = try config.requirePerson(person)
            if let visible, !visible.contains(found.id) {
                throw NarrateError(.forbidden, "\(found.id) is not on a team of yours; only admins see everyone's history")
            }
            persons = (persons ?? [found.id]).filter { $0 == found.id }
        }
        let zone = Config.zone(config.timeZone)
        let start = since.map { $0.start(in: zone) } ?? Date(timeIntervalSince1970: 0)
        let entries = try await store.entries(from: start, to: .distantFuture, persons: persons)
        let runs = person == nil ? try await store.runs(since: start, teams: teams) : []
        return History(
            entries: entries.map { entry in
                let zone = config.person(entry.person).map(config.zone(of:)) ?? zone
                return History.Item(
                    id: entry.displayID, person: entry.person, kind: entry.kind.rawValue, text: entry.text,
                    stage: entry.stage?.rawValue, kpi: entry.kpi, at: TimeText.iso(entry.at, in: zone),
                    state: entry.state?.rawValue, closedAt: entry.closedAt.map { TimeText.iso($0, in: zone) },
                    note: entry.note)
            },
            runs: runs.map { run in
                let zone = config.zone(ofTeam: run.team)
                return History.RunItem(
                    schedule: run.schedule, team: run.team, slot: TimeText.iso(run.slot, in: zone),
                    state: run.state.rawValue, at: TimeText.iso(run.at, in: zone), detail: run.detail, manual: run.manual)
            })
    }
}

extension History {
    /// One line per entry and run, for the terminal.
    public var text: String {
        var lines: [String] = []
        for item in entries {
            // Each entry in its author's time, with the offset: entries of people in several zones
            // are in time order, and 12:24 beside 04:24 must say why.
            let offset = item.at.dropFirst(19)
            var line = "\(item.at.prefix(16).replacingOccurrences(of: "T", with: " ")) \(offset)  \(item.id)  \(item.person)  \(item.kind)"
            if let stage = item.stage { line += " [\(stage)]" }
            if let state = item.state { line += " (\(state))" }
            line += "  \(item.text)"
            if let note = item.note { line += "  — \(note)" }
            lines.append(line)
        }
        if entries.isEmpty { lines.append("no entries") }
        if !runs.isEmpty {
            lines.append("")
            lines.append("runs:")
            for run in runs {
                let how = run.manual ? " (narrate now)" : ""
                lines.append("\(run.slot)  \(run.schedule)  \(run.team)  \(run.state)\(how)\(run.detail.map { "  \($0)" } ?? "")")
            }
        }
        return lines.joined(separator: "\n")
    }
}
