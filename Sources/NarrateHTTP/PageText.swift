import NarrateModel
import NarrateReport

/// The check-in page's words, in the team's locale (en, zh-Hant).
struct PageText {
    let locale: String

    func callAsFunction(_ key: Key) -> String {
        (locale == "zh-Hant" ? Self.zhHant[key] : nil) ?? Self.en[key] ?? key.rawValue
    }

    enum Key: String, CaseIterable {
        case title, hello, period, newEntry, kind, text, stage, stageNone, save
        case progress, blocker, next, learned, win, helped, ask, decision
        case front, middle, back
        case open, noOpen, resolve, done, drop, written, nothingYet, edit, delete, mood, load, moodSave, optional
        case logged, closed, edited, deleted, moodSaved, ownOnly, howAreYou, change
        case drafts, draftsHint, confirm, discard, confirmed, discarded, teamPage, teamLink, loadOptional
        // The team page and its charts.
        case teamIntro, trends, target, ceiling, floor, warning, chartSummary, chartNow, unitCaption
    }

    static let en: [Key: String] = [
        .title: "Check in", .hello: "Hello, %@", .period: "This period: %@ – %@", .newEntry: "Write an entry",
        .kind: "Kind", .text: "What happened", .stage: "Where is it stuck? (blockers)", .stageNone: "—", .save: "Save",
        .progress: "Progress", .blocker: "Blocker", .next: "Next action", .learned: "Learning", .win: "Small win", .helped: "Helped someone", .ask: "Ask for help", .decision: "Decision needed",
        .front: "Front (before work starts)", .middle: "Middle (while doing it)", .back: "Back (handing over)",
        .open: "Open blockers and next actions", .noOpen: "Nothing open.", .resolve: "Resolved", .done: "Done", .drop: "Drop",
        .written: "What you wrote this period", .nothingYet: "Nothing yet.", .edit: "Save edit", .delete: "Delete",
        .mood: "Mood (1 low – 5 high)", .load: "Load (1 light – 5 overloaded)", .moodSave: "Save mood", .optional: "optional",
        .logged: "Saved %@.", .closed: "%@ closed.", .edited: "%@ edited.", .deleted: "%@ deleted (narrate undo brings it back).",
        .moodSaved: "Mood saved.", .ownOnly: "Only your own entries appear here.", .howAreYou: "How are you doing?",
        .change: "Edit or delete",
        .drafts: "From your tools", .draftsHint: "Confirm what belongs in your narrative (edit it first if you like); discard the rest.",
        .confirm: "Confirm", .discard: "Discard", .teamPage: "Team report", .confirmed: "Draft confirmed as %@.", .discarded: "Draft discarded.",
        .teamLink: "Team report: %@", .loadOptional: "%@ (optional)",
        .teamIntro: "The latest report, and each KPI over the last 12 periods.", .trends: "KPI trends",
        .target: "target", .ceiling: "ceiling", .floor: "floor", .warning: "warning",
        .chartSummary: "%@: last %@ periods", .chartNow: ", now %@", .unitCaption: "%@ (%@)",
    ]

    static let zhHant: [Key: String] = [
        .title: "填寫近況", .hello: "%@，你好", .period: "本期：%@ – %@", .newEntry: "寫一則紀錄",
        .kind: "類型", .text: "發生了什麼", .stage: "卡在哪個階段？（\(Glossary.blockers)）", .stageNone: "—", .save: "儲存",
        .progress: Glossary.progress, .blocker: Glossary.blockers, .next: Glossary.next, .learned: Glossary.learned, .win: "小成果",
        .helped: "協助他人", .ask: "請求協助", .decision: "需要決定",
        .front: "\(Glossary.front)（開工前）", .middle: "\(Glossary.middle)（進行中）", .back: "\(Glossary.back)（交接時）",
        .open: "未解除的\(Glossary.blockers)與\(Glossary.next)", .noOpen: "目前沒有未結項目。", .resolve: "已解決", .done: "已完成", .drop: "取消",
        .written: "本期已寫的紀錄", .nothingYet: "還沒有紀錄。", .edit: "儲存修改", .delete: "刪除",
        .mood: "心情（1 低 – 5 高）", .load: "負荷（1 輕 – 5 過重）", .moodSave: "儲存心情", .optional: "選填",
        .logged: "已儲存 %@。", .closed: "%@ 已結案。", .edited: "%@ 已修改。", .deleted: "%@ 已刪除（narrate undo 可復原）。",
        .moodSaved: "心情已儲存。", .ownOnly: "這裡只會顯示你自己的紀錄。", .howAreYou: "最近好嗎？",
        .change: "修改或刪除",
        .drafts: "來自你的工具", .draftsHint: "確認哪些該放進你的紀錄（可以先修改文字），其餘捨棄。",
        .confirm: "確認", .discard: "捨棄", .teamPage: "團隊報告", .confirmed: "草稿已確認為 %@。", .discarded: "草稿已捨棄。",
        .teamLink: "團隊報告：%@", .loadOptional: "%@（選填）",
        .teamIntro: "最近一期報告，以及各 KPI 近 12 期的走勢。", .trends: "KPI 走勢",
        .target: "目標", .ceiling: Glossary.ceiling, .floor: Glossary.floor, .warning: "警戒",
        .chartSummary: "%@：最近 %@ 期", .chartNow: "，本期 %@", .unitCaption: "%@（%@）",
    ]

    /// Every word by its key's name, for a page template (`{{t.title}}`).
    var all: [String: String] {
        Dictionary(uniqueKeysWithValues: Key.allCases.map { ($0.rawValue, self($0)) })
    }

    func format(_ key: Key, _ values: String...) -> String {
        var text = self(key)
        for value in values {
            if let range = text.range(of: "%@") { text.replaceSubrange(range, with: value) }
        }
        return text
    }
}
