import NarrateModel
/// The Traditional Chinese words every surface uses (report, digest, card, check-in page, team
/// page, reminders, follow-ups, escalations), with the articles' own terms where they have one,
/// and the words they replace. The check-in page reads its words from here; a test holds every
/// zh-Hant output to the table: no word to avoid, and full-width punctuation next to Chinese.
public enum Glossary {
    public struct Term: Sendable {
        /// What it names, in English.
        public var concept: String
        public var word: String
        /// Synonyms that read differently or wrongly (升級 reads as "upgrade").
        public var avoid: [String]
    }

    public static let progress = "目前進展"
    public static let blockers = "卡關問題"
    public static let next = "接下來的行動"
    public static let learned = "學到了什麼"
    public static let smallImprovements = "小改善"
    public static let front = "前段", middle = "中段", back = "後段"
    public static let guardrail = "護欄指標"
    public static let ceiling = "上限", floor = "下限"
    public static let leading = "領先指標", lagging = "落後指標"
    public static let needsManager = "需主管協助"
    /// A blocker past the team's escalation age.
    public static let overdue = "逾期"

    /// The words a person may begin a chat check-in with (LINE, Lark), for the English command
    /// each stands for: the glossary's words and the short forms people type.
    public static let commands: [String: String] = [
        progress: "progress", "進展": "progress", blockers: "blocker", "卡關": "blocker", next: "next", "接下來": "next",
        learned: "learned", "學到": "learned", "小成果": "win", "協助他人": "helped", "請求協助": "ask", "需要決定": "decision",
        "解除": "resolve", "完成": "done", "放棄": "drop", "刪除": "delete", "撤回": "delete", "我的": "me", "說明": "help",
    ]
    /// The stages, as a word after 卡關.
    public static let stages: [String: Entry.Stage] = [front: .front, middle: .middle, back: .back]

    /// An entry kind's word, for replies.
    public static func word(_ kind: Entry.Kind) -> String {
        switch kind {
        case .progress: progress
        case .blocker: blockers
        case .next: next
        case .learned: learned
        case .win: "小成果"
        case .helped: "協助他人"
        case .ask: "請求協助"
        case .decision: "需要決定"
        }
    }

    public static let terms: [Term] = [
        Term(concept: "progress", word: progress, avoid: ["進度報告"]),
        Term(concept: "blocker", word: blockers, avoid: ["阻礙", "障礙"]),
        Term(concept: "next action", word: next, avoid: ["下一步"]),
        Term(concept: "learning", word: learned, avoid: ["學到的事", "心得"]),
        Term(concept: "small improvement", word: smallImprovements, avoid: ["小進步"]),
        Term(concept: "guardrail", word: guardrail, avoid: ["防護指標"]),
        Term(concept: "limit", word: "\(ceiling) / \(floor)", avoid: ["上下限"]),
        Term(concept: "leading / lagging", word: "\(leading) / \(lagging)", avoid: ["先行指標", "滯後指標"]),
        Term(concept: "escalation", word: overdue, avoid: ["升級"]),
    ]
}
