import Foundation
import NarrateModel
import NarrateConfig
import NarrateReport
import NarrateTargets
import NarrateSources
import NarrateStore

/// Runs the configured `[[source]]`s (and the KPIs' Prometheus queries) for a team's period and
/// imports what they find: `auto` entries into the store, `draft` ones as drafts for their
/// person, readings as readings; each at most once, by its key. A source that fails or runs out
/// of time is a problem line for the report's footer, never a missing report.
public struct SourceRuns: Sendable {
    let context: AppContext

    /// What one source did.
    public struct Outcome: Sendable {
        public var source: String
        public var mode: SourceConfig.Mode
        public var found: [SourcedEntry]
        public var readings: Int
        /// The readings themselves.
        public var foundReadings: [MetricReading] = []
        /// Entries or drafts that were new (0 on a dry run).
        public var added: Int
        public var problems: [String]
    }

    /// Runs every source covering `team` over `period` at once, within `budget` seconds; with
    /// `dryRun`, nothing is imported.
    public func run(team: Team, period: Period, dryRun: Bool = false, budget: TimeInterval = 60) async -> [Outcome] {
        let now = context.clock.now()
        let zone = context.config.zone(of: team)
        let deadline = Date().addingTimeInterval(budget)
        let fetch: Fetch = { [transport = context.transport] in try await transport.send($0) }
        var jobs: [(SourceConfig.Mode, any ActivitySource, [Person])] = []
        var problems: [Outcome] = []
        for config in context.config.sources {
            let people = team.members.filter { config.covers($0, of: team.id) }.compactMap(context.config.person)
            guard !people.isEmpty else { continue }
            do {
                jobs.append((config.mode, try source(config, fetch: fetch), people))
            } catch {
                problems.append(Outcome(source: config.id, mode: config.mode, found: [], readings: 0, added: 0,
                                        problems: ["\(config.id): \(context.redactor.redact("\(error)"))"]))
            }
        }
        let measured = context.config.kpis.filter { $0.team == team.id && $0.prometheus != nil }
        if !measured.isEmpty { jobs.append((.auto, PrometheusSource(kpis: measured, fetch: fetch), [])) }
        let end = min(period.end, max(now, period.start))
        let results = await withTaskGroup(of: (Int, Collected).self) { group in
            for (index, job) in jobs.enumerated() {
                let source = job.1
                let request = CollectRequest(people: job.2, start: period.start, end: end, zone: zone, deadline: deadline)
                group.addTask { (index, await source.collect(request)) }
            }
            var results = [Collected](repeating: Collected(), count: jobs.count)
            for await (index, collected) in group { results[index] = collected }
            return results
        }
        var outcomes = problems
        for ((mode, source, _), collected) in zip(jobs, results) {
            var outcome = Outcome(
                source: source.id, mode: mode, found: collected.entries, readings: collected.readings.count, added: 0,
                problems: collected.problems.map(context.redactor.redact))
            outcome.foundReadings = collected.readings
            if !dryRun {
                do {
                    switch mode {
                    case .auto: outcome.added = try await context.store.importEntries(collected.entries, now: now).count
                    case .draft: outcome.added = try await context.store.addDrafts(collected.entries, now: now)
                    }
                    if !collected.readings.isEmpty { try await context.store.record(collected.readings) }
                } catch {
                    outcome.problems.append("\(source.id): \(context.redactor.redact("\(error)"))")
                }
                try? await context.store.recordSourceRun(source.id, at: now, problems: outcome.problems)
                if outcome.added > 0 { context.logger.info("\(source.id): \(outcome.added) new \(mode == .auto ? "entries" : "drafts")") }
                for problem in outcome.problems { context.logger.warning("source \(problem)") }
            }
            outcomes.append(outcome)
        }
        return outcomes
    }

    /// The problems of a run, as the report's footer lists them.
    /// One line per source that had a problem, in the reader's words and `locale`: what kind
    /// of source it is and what went wrong in general. The report goes to the team's chat, so
    /// server paths, URLs and tool output stay in the log and `narrate sources check`.
    public func notes(team: Team, period: Period, locale: String) async -> [String] {
        guard hasSources else { return [] }
        return notes(await run(team: team, period: period), locale: locale)
    }

    /// What the sources would bring to a report now, without importing anything: the entries
    /// of `auto` sources not imported yet (numbered -1, -2, …: they have no id until a slot
    /// imports them), their readings, and the footer notes. A preview or a dry run shows with
    /// them the report a slot would send.
    public func pending(team: Team, period: Period, locale: String) async -> (batch: SourceBatch, notes: [String]) {
        guard hasSources else { return (SourceBatch(), []) }
        let outcomes = await run(team: team, period: period, dryRun: true)
        let found = outcomes.filter { $0.mode == .auto }.flatMap(\.found)
        let known = (try? await context.store.knownKeys(found.map(\.key))) ?? Set(found.map(\.key))
        var seen: Set<String> = []
        var batch = SourceBatch(readings: outcomes.flatMap(\.foundReadings))
        for item in found where !known.contains(item.key) && seen.insert(item.key).inserted {
            var entry = item.entry
            entry.id = -Int64(batch.entries.count + 1)
            batch.entries.append(entry)
        }
        return (batch, notes(outcomes, locale: locale))
    }

    var hasSources: Bool { !context.config.sources.isEmpty || context.config.kpis.contains(where: { $0.prometheus != nil }) }

    func notes(_ outcomes: [Outcome], locale: String) -> [String] {
        outcomes.filter { !$0.problems.isEmpty }.map { outcome in
            Self.note(source: outcome.source, kind: context.config.sources.first { $0.id == outcome.source }?.kind, locale: locale)
        }
    }

    /// "tool (command): it failed or ran out of time", "repos（程式碼）：有儲存庫無法讀取".
    static func note(source: String, kind: SourceConfig.Kind?, locale: String) -> String {
        let chinese = locale == "zh-Hant"
        let (what, problem): (String, String)
        switch kind {
        case .git?: (what, problem) = chinese ? ("程式碼", "有儲存庫無法讀取") : ("code", "a repository could not be read")
        case .journal?: (what, problem) = chinese ? ("工作日誌", "有檔案無法讀取") : ("journal", "a file could not be read")
        case .command?: (what, problem) = chinese ? ("指令", "執行失敗或逾時") : ("command", "it failed or ran out of time")
        case .github?: (what, problem) = chinese ? ("GitHub", "沒有回應或拒絕存取") : ("GitHub", "it did not answer or refused access")
        case nil: (what, problem) = chinese ? ("Prometheus 的 KPI 讀數", "有查詢沒有結果") : ("KPI readings from Prometheus", "a query gave no value")
        }
        return chinese ? "\(source)（\(what)）：\(problem)" : "\(source) (\(what)): \(problem)"
    }

    func source(_ config: SourceConfig, fetch: @escaping Fetch) throws -> any ActivitySource {
        let timeout = TimeInterval(config.timeout)
        switch config.kind {
        case .journal:
            let path = config.path ?? ""
            let base = (context.config.file as NSString).deletingLastPathComponent
            return JournalSource(id: config.id, path: path.hasPrefix("/") || base.isEmpty ? path : base + "/" + path)
        case .git:
            return GitSource(id: config.id, repos: config.repos, timeout: timeout)
        case .command:
            return CommandSource(id: config.id, command: config.command, timeout: timeout, kpis: Set(context.config.kpis.map(\.id)))
        case .github:
            guard let secret = config.token else { throw NarrateError(.invalidInput, "no token") }
            return GitHubSource(
                id: config.id, baseURL: config.baseURL, token: try context.secrets.reveal(secret), repos: config.repos, fetch: fetch,
                cache: context.store, timeout: timeout)
        }
    }
}
