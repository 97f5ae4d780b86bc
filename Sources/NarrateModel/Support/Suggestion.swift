/// "Did you mean" for typos in keys and ids.
public enum Suggestion {
    public static func closest(to word: String, in candidates: some Sequence<String>) -> String? {
        var best: (String, Int)?
        let candidates = Array(candidates)
        // Words people use for a direction or a cadence that the config spells otherwise.
        if let meant = synonyms[word.lowercased()], candidates.contains(meant) { return meant }
        // An abbreviation ("avg" for "average") is a likelier intent than an unrelated short word.
        if word.count >= 2, let full = candidates.first(where: { isAbbreviation(word.lowercased(), of: $0.lowercased()) }) {
            return full
        }
        for candidate in candidates {
            let distance = editDistance(word.lowercased(), candidate.lowercased())
            let allowed = max(1, min(word.count, candidate.count) / 3)
            guard distance <= allowed else { continue }
            if best == nil || distance < best!.1 { best = (candidate, distance) }
        }
        return best?.0
    }

    static let synonyms: [String: String] = [
        "higher": "up", "increase": "up", "more": "up", "higher-is-better": "up", "ascending": "up",
        "lower": "down", "decrease": "down", "less": "down", "fewer": "down", "lower-is-better": "down", "descending": "down",
        "week": "weekly", "month": "monthly", "quarter": "quarterly", "day": "daily", "lead": "leading", "lag": "lagging",
    ]

    /// Same first letter and every letter of `short` appears in order in `long`.
    static func isAbbreviation(_ short: String, of long: String) -> Bool {
        guard short.count < long.count, short.first == long.first else { return false }
        var rest = Substring(long)
        for character in short {
            guard let index = rest.firstIndex(of: character) else { return false }
            rest = rest[rest.index(after: index)...]
        }
        return true
    }

    static func editDistance(_ a: String, _ b: String) -> Int {
        let a = Array(a), b = Array(b)
        if a.isEmpty { return b.count }
        if b.isEmpty { return a.count }
        var previous = Array(0...b.count)
        var current = previous
        var beforePrevious = previous
        for i in 1...a.count {
            current[0] = i
            for j in 1...b.count {
                let cost = a[i - 1] == b[j - 1] ? 0 : 1
                current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
                // A swap of two neighbours ("nmae" for "name") is one typo, not two.
                if i > 1, j > 1, a[i - 1] == b[j - 2], a[i - 2] == b[j - 1] {
                    current[j] = min(current[j], beforePrevious[j - 2] + 1)
                }
            }
            beforePrevious = previous
            swap(&previous, &current)
        }
        return previous[b.count]
    }
}
