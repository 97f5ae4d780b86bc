import Foundation
import NarrateApp
import NarrateModel
import NarrateReport

/// What a person typed after `/narrate` in Slack, Mattermost or Discord, or to the bot in LINE
/// or Lark, where the glossary's words work too (`卡關 前段 等法務回覆`).
enum ChatCommand: Equatable {
    case log(Entry.Kind, text: String, stage: Entry.Stage?)
    case close(EntryReference, Entry.State, note: String?)
    /// Takes back an entry of one's own (the reply to a check-in says how).
    case delete(EntryReference)
    case me
    case help

    static let usage = """
        /narrate progress|blocker|next|learned|win|helped|ask|decision TEXT   record one part of your narrative
        /narrate blocker --stage front|middle|back TEXT   a blocker and where it is stuck
        /narrate resolve B-2 [NOTE] · done N-3 · drop N-3  close a blocker or next action
        /narrate me                                       what you wrote this period, and what is open
        /narrate delete P-5                               take back an entry of yours
        LINE and Lark take the same without /narrate, and in Chinese: 進展 … · 卡關 前段 … · 接下來 … · 學到 … · 解除 B-2 · 刪除 P-5 · 我的
        """

    static func parse(_ text: String) throws -> ChatCommand {
        var words = text.split(whereSeparator: \.isWhitespace).map(String.init)
        guard let first = words.first else { return .help }
        let verb = Glossary.commands[first] ?? first.lowercased()
        words.removeFirst()
        switch verb {
        case "delete":
            guard let id = words.first else { throw NarrateError(.invalidInput, "delete needs an entry id, e.g. delete P-5") }
            return .delete(try EntryReference(parsing: id))
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
            if kind == .blocker, let word = words.first, let named = Glossary.stages[word] {
                stage = named
                words.removeFirst()
            } else if let flag = words.first, flag == "--stage" || flag.hasPrefix("--stage=") {
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
    /// Replies in Traditional Chinese (the team's report speaks it, or the command was in it).
    var chinese = false

    func run(_ command: ChatCommand, for person: Person) async throws -> String {
        let checkIns = context.checkIns
        switch command {
        case .help:
            return "narrate check-ins:\n" + ChatCommand.usage
        case .log(let kind, let text, let stage):
            let entry = try await checkIns.log(kind, text: text, by: person, stage: stage)
            if chinese {
                let staged = stage.map { stage in "，" + (Glossary.stages.first { $0.value == stage }?.key ?? stage.rawValue) } ?? ""
                return "已記下 \(entry.displayID)（\(Glossary.word(kind))\(staged)）。要撤回：刪除 \(entry.displayID)"
            }
            return "Recorded \(entry.displayID) (\(kind.rawValue)) for \(person.name). To take it back: delete \(entry.displayID)"
        case .close(let reference, let state, let note):
            let closed = try await checkIns.close(reference, as: state, note: note, by: context.config.caller(person))
            return "\(closed.displayID) is \(state.rawValue)."
        case .delete(let reference):
            let deleted = try await checkIns.delete(reference, by: context.config.caller(person))
            return chinese ? "已刪除 \(deleted.displayID)。" : "Deleted \(deleted.displayID)."
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
