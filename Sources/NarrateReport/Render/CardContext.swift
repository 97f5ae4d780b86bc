import NarrateModel
/// Template values for one person's card; also used inside the team report.
struct CardContext {
    let format: LocaleFormat

    typealias Values = [String: Any]

    func name(_ person: Person) -> String { MarkdownText.escape(person.name) }

    func stage(_ stage: Entry.Stage?) -> Values {
        [
            "front": stage == .front, "middle": stage == .middle, "back": stage == .back, "unstaged": stage == nil,
            "hasStage": stage != nil,
        ]
    }

    func person(_ narrative: PersonNarrative) -> Values {
        func texts(_ entries: [Entry]) -> [Values] {
            entries.map { ["text": MarkdownText.escape($0.text), "id": $0.displayID] }
        }
        return [
            "name": name(narrative.person), "isAway": narrative.isAway,
            "progress": texts(narrative.progress), "hasProgress": !narrative.progress.isEmpty,
            // Open blockers are listed once, under "Blockers by stage" with their owner; the card
            // keeps the ones closed this period.
            "blockers": narrative.blockers.filter { $0.state != .open }.map { entry -> Values in
                stage(entry.stage).merging([
                    "text": MarkdownText.escape(entry.text), "id": entry.displayID,
                    "resolved": entry.state == .resolved, "dropped": entry.state == .dropped, "open": entry.state == .open,
                ]) { $1 }
            },
            "hasBlockers": narrative.blockers.contains { $0.state != .open },
            // The person's open blockers by id: their text is under "Blockers by stage".
            "openBlockers": narrative.openBlockers.map { ["id": $0.displayID] }, "hasOpenBlockers": !narrative.openBlockers.isEmpty,
            "next": texts(narrative.next), "hasNext": !narrative.next.isEmpty,
            "learned": texts(narrative.learned), "hasLearned": !narrative.learned.isEmpty,
            "helped": texts(narrative.helped), "hasHelped": !narrative.helped.isEmpty,
            "followUps": narrative.followUps.map { followUp -> Values in
                [
                    "text": MarkdownText.escape(followUp.entry.text), "id": followUp.entry.displayID,
                    "done": followUp.outcome == .done, "carried": followUp.outcome == .carried,
                    "periods": followUp.periods, "carriedAgain": followUp.outcome == .carried && followUp.periods >= 2,
                    "dropped": followUp.outcome == .dropped,
                ]
            },
            "hasFollowUps": !narrative.followUps.isEmpty,
        ]
    }
}
