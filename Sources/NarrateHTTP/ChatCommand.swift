import Foundation
import NarrateApp
import NarrateModel
import NarrateReport

/// What a person typed after `/narrate` in Slack, Mattermost or Discord.
enum ChatCommand: Equatable {
    case log(Entry.Kind, text: String, stage: Entry.Stage?)
    case close(EntryReference, Entry.State, note: String?)
    case me
    case help

    static let usage = """
        /narrate progress|blocker|next|learned|win|helped|ask|decision TEXT   record one part of your narrative
        /narrate blocker --stage front|middle|back TEXT   a blocker and where it is stuck
        /narrate resolve B-2 [NOTE] · done N-3 · drop N-3  close a blocker or next action
        /narrate me                                       what you wrote this period, and what is open
        """

    static func parse(_ text: String) throws -> ChatCommand {
        var words = text.split(whereSeparator: \.isWhitespace).map(String.init)
        guard let verb = words.first?.lowercased() else { return .help }
        words.removeFirst()
        switch verb {
        case "help", "?": return .help
        case "me", "mine", "status": return .me
        case "resolve", "resolved", "done", "drop", "dropped":
            guard let id = words.first else {
                throw NarrateError(.invalidInput, "\(verb) needs an entry id, e.g. `/narrate \(verb) \(verb.hasPrefix("res") ? "B-2" : "N-3")`")
            }
            let state: Entry.State = verb.hasPrefix("res") ? .resolved : verb == "done" ? .done : .dropped
            let note = words.dropFirst().joined(separator: " ")
            return .close(try EntryReference(parsing: id), state, note: note.isEmpty ? nil : note)
        default:
            guard let kind = Entry.Kind(rawValue: verb) ?? (verb == "blocked" ? .blocker : verb == "learning" ? .learned : nil) else {
                throw NarrateError(.invalidInput, "unknown command \"\(verb)\"; try /narrate help")
            }
            var stage: Entry.Stage?
            if let flag = words.first, flag == "--stage" || flag.hasPrefix("--stage=") {
                let value = flag.hasPrefix("--stage=") ? String(flag.dropFirst(8)) : (words.count > 1 ? words[1] : "")
                guard let parsed = Entry.Stage(rawValue: value.lowercased()) else {
                    throw NarrateError(.invalidInput, "--stage is front, middle or back, not \"\(value)\"")
                }
                stage = parsed
                words.removeFirst(flag.hasPrefix("--stage=") ? 1 : min(2, words.count))
            }
            return .log(kind, text: words.joined(separator: " "), stage: stage)
        }
    }
}

/// Runs a chat command for a person through the same check-in services as the CLI, and words
/// the private reply.
struct ChatDesk {
    let context: AppContext

    func run(_ command: ChatCommand, for person: Person) async throws -> String {
        let checkIns = context.checkIns
        switch command {
        case .help:
            return "narrate check-ins:\n" + ChatCommand.usage
        case .log(let kind, let text, let stage):
            let entry = try await checkIns.log(kind, text: text, by: person, stage: stage)
            return "Recorded \(entry.displayID) (\(kind.rawValue)) for \(person.name)."
        case .close(let reference, let state, let note):
            let caller = Caller(person: person, isAdmin: context.config.isAdmin(person))
            let closed = try await checkIns.close(reference, as: state, note: note, by: caller)
            return "\(closed.displayID) is \(state.rawValue)."
        case .me:
            let summary = try await checkIns.summary(of: person)
            let zone = context.config.zone(of: person)
            var lines = ["Since \(TimeText.short(summary.period.start, in: zone)) you wrote \(summary.entries.count) entr\(summary.entries.count == 1 ? "y" : "ies"):"]
            lines += summary.entries.map { "• \($0.displayID) \($0.kind.rawValue): \($0.text)" }
            if !summary.open.isEmpty {
                lines.append("Still open:")
                lines += summary.open.map { "• \($0.displayID) \($0.text)" }
            }
            return lines.joined(separator: "\n")
        }
    }
}
