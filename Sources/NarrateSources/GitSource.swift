import Foundation
import NarrateModel
import NarrateReport

/// Local git repositories: each commit in the period by one of a person's `git` identities (the
/// author's email or name) is a progress entry, "subject (abc1234)". Merge commits are left out,
/// so a branch's work counts once. Read with the `git` binary: one `git log` per repository, no
/// library to link, the same answer the person sees.
public struct GitSource: ActivitySource {
    public let id: String
    public let repos: [String]
    public let timeout: TimeInterval

    public init(id: String, repos: [String], timeout: TimeInterval) {
        self.id = id
        self.repos = repos
        self.timeout = timeout
    }

    public func collect(_ request: CollectRequest) async -> Collected {
        var collected = Collected()
        var identities: [String: String] = [:]
        for person in request.people {
            for identity in person.git { identities[identity.lowercased()] = person.id }
        }
        guard !identities.isEmpty else { return collected }
        var seen: Set<String> = []
        for repo in Self.expand(repos) {
            let remaining = request.deadline.timeIntervalSinceNow
            guard remaining > 0 else {
                collected.problems.append("\(id): out of time before \(repo)")
                break
            }
            // No --since: git stops walking at the first older commit it meets, and a rebased or
            // cherry-picked history is not in date order. The period is filtered here instead.
            let arguments = [
                "git", "-C", repo, "log", "--all", "--no-merges", "--max-count=50000", "--format=%H%x1f%ae%x1f%an%x1f%at%x1f%s%x1e",
            ]
            do {
                let result = try await ProcessRunner.run(arguments, timeout: min(timeout, remaining), environment: ["LC_ALL": "C", "PATH": "/usr/bin:/bin:/usr/local/bin"])
                if result.timedOut {
                    collected.problems.append("\(id): git log in \(repo) took longer than \(Int(timeout)) s; skipped")
                    continue
                }
                guard result.status == 0 else {
                    collected.problems.append("\(id): \(repo): \(OneLine.clean(result.stderr))")
                    continue
                }
                for record in String(decoding: result.stdout, as: UTF8.self).split(separator: "\u{1e}") {
                    let fields = record.trimmingCharacters(in: .whitespacesAndNewlines).split(separator: "\u{1f}", omittingEmptySubsequences: false)
                    guard fields.count == 5, let seconds = Double(fields[3]) else { continue }
                    let at = Date(timeIntervalSince1970: seconds)
                    guard at >= request.start, at < request.end else { continue }
                    let hash = String(fields[0])
                    guard seen.insert(hash).inserted,
                        let person = identities[fields[1].lowercased()] ?? identities[fields[2].lowercased()]
                    else { continue }
                    var entry = Entry(
                        person: person, kind: .progress, text: "\(fields[4]) (\(hash.prefix(7)))", at: at)
                    entry.origin = id
                    collected.entries.append(SourcedEntry(entry: entry, key: "git:\(hash)"))
                }
            } catch {
                collected.problems.append("\(id): cannot run git: \(error.localizedDescription)")
                break
            }
        }
        return collected
    }

    /// Paths with `*`, `?` or `[` expanded (sorted); others as they are.
    static func expand(_ patterns: [String]) -> [String] {
        patterns.flatMap { pattern -> [String] in
            guard pattern.contains(where: { "*?[".contains($0) }) else { return [pattern] }
            var found = glob_t()
            defer { globfree(&found) }
            guard glob(pattern, 0, nil, &found) == 0 else { return [] }
            return (0..<Int(found.gl_pathc)).compactMap { found.gl_pathv[$0].map { String(cString: $0) } }.sorted()
        }
    }
}
