import Foundation

/// The plain per-person narrative list for a period: progress, blockers, next actions, learnings.
public enum NarrativeList {
    public static func render(team: Team, period: Period, entries: [Entry], config: Config) -> String {
        let first = LocalDate(period.start, in: period.timeZone)
        let last = LocalDate(period.end.addingTimeInterval(-1), in: period.timeZone)
        var lines = ["# \(team.name): \(first) – \(last)", ""]
        let parts: [(Entry.Kind, String)] = [
            (.progress, "Progress"), (.blocker, "Blockers"), (.next, "Next actions"), (.learned, "Learnings"), (.win, "Wins"),
        ]
        for member in team.members {
            let own = entries.filter { $0.person == member }
            let name = config.person(member)?.name ?? member
            lines.append("## \(name)")
            lines.append("")
            if own.isEmpty {
                lines.append("No entries this period.")
                lines.append("")
                continue
            }
            for (kind, title) in parts {
                let items = own.filter { $0.kind == kind }
                guard !items.isEmpty else { continue }
                lines.append("### \(title)")
                lines.append("")
                for item in items {
                    let state = item.state.map { $0 == .open ? "" : " (\($0.rawValue))" } ?? ""
                    lines.append("- \(item.text)\(state)")
                }
                lines.append("")
            }
        }
        return lines.joined(separator: "\n")
    }
}
