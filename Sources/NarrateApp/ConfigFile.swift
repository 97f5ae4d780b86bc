import Foundation
import NarrateModel
import NarrateConfig
import NarrateReport
import NarrateTargets
import NarrateStore
import NarrateDelivery

/// The config as a file on disk: read, validated, and its templates compiled.
public enum ConfigFile {
    /// Reads and validates a config file, running every check including the KPI lint.
    /// Returns the config (as far as it could be read) and every diagnostic, errors and warnings.
    /// With `secrets`, every secret the config names is read too (``checkSecrets(_:text:with:)``).
    public static func check(path: String, secrets: SecretResolver? = nil) -> (config: Config?, diagnostics: [Diagnostic]) {
        guard let data = FileManager.default.contents(atPath: path) else {
            let why = FileManager.default.fileExists(atPath: path) ? "cannot be read" : "does not exist (narrate init writes an example)"
            return (nil, [Diagnostic(file: path, line: 1, severity: .error, keyPath: "", message: "config file \(why)")])
        }
        guard let text = String(data: data, encoding: .utf8) else {
            return (nil, [Diagnostic(file: path, line: 1, severity: .error, keyPath: "", message: "config file is not UTF-8 text")])
        }
        var (config, diagnostics) = Config.parse(text: text, file: path, isDirectory: isDirectory)
        if let config, let secrets {
            diagnostics = (diagnostics + checkSecrets(config, text: text, with: secrets)).enumerated()
                .sorted { ($0.element.line, $0.offset) < ($1.element.line, $1.offset) }.map(\.element)
        }
        return (config, diagnostics)
    }

    /// Reads every secret the config names, as a delivery would: an environment variable that
    /// is not set, a file that cannot be read, a secret URL that can never be sent to are errors
    /// on their lines. The values go only to the redactor.
    static func checkSecrets(_ config: Config, text: String, with resolver: SecretResolver) -> [Diagnostic] {
        resolver.redactor.keep(config.ids)
        // Mapping the text's lines costs as much as reading the config: only when there is a problem.
        var lines: ConfigLines?
        return config.secretSources.compactMap { source in
            let problem: (Diagnostic.Severity, String)?
            do {
                let value = try resolver.reveal(source.secret)
                // A value written in the config was checked as a URL as the config was read.
                if case .plain = source.secret {
                    problem = Self.weakness(of: value, at: source, in: config)
                } else if source.isURL, let bad = URLCheck.problem(value) {
                    problem = (.error, "\(bad) (from \(source.secret))")
                } else {
                    problem = Self.weakness(of: value, at: source, in: config)
                }
            } catch {
                problem = (.error, "\(error)")
            }
            guard let (severity, message) = problem else { return nil }
            if lines == nil { lines = ConfigLines(text: text) }
            return Diagnostic(file: config.file, line: lines!.line(of: source.keyPath), severity: severity, keyPath: source.keyPath, message: message)
        }
    }

    /// What a secret's value gives away for its target: an ntfy topic anyone can guess (the topic
    /// is the only key to it), a webhook secret that is no `whsec_` base64 key (no request could
    /// be signed with it).
    static func weakness(of value: String, at source: SecretSource, in config: Config) -> (Diagnostic.Severity, String)? {
        guard let open = source.keyPath.firstIndex(of: "["), source.keyPath.hasPrefix("target["),
            let close = source.keyPath.firstIndex(of: "]"), let index = Int(source.keyPath[source.keyPath.index(after: open)..<close]),
            config.targets.indices.contains(index)
        else { return nil }
        let target = config.targets[index]
        switch target.kind {
        case .ntfy where source.isURL:
            let topic = URLComponents(string: value)?.path.split(separator: "/").last.map(String.init) ?? ""
            guard !Redactor.isCredentialLike(topic) else { return nil }
            return (.warning, "the ntfy topic \"\(topic)\" can be guessed, and anyone who tries it reads the reports; use a long random topic (e.g. 24 letters and digits)")
        case .webhook where !source.isURL:
            guard WebhookSigningKey.bytes(value) != nil else {
                return (.error, "the secret is not a whsec_ key (whsec_ and base64, as Standard Webhooks receivers give it): no report could be signed")
            }
            return nil
        default:
            return nil
        }
    }

    /// Per KPI: the lowest and highest value of its complete periods in a span, and how many
    /// periods had one.
    public typealias ReadingRanges = [String: (low: Double, high: Double, count: Int)]

    /// The twelve months a target is held against, ending `now`.
    public static func targetWindow(endingAt now: Date) -> (start: Date, end: Date) {
        (now.addingTimeInterval(-365 * 86_400), now)
    }

    /// Targets set far from what was measured (SMART: achievable): a core KPI's target more than
    /// the past year's whole range away from its values, once at least three periods have one.
    /// A value is the KPI's value of a whole period of its review cadence (a week when it has
    /// none), computed as the report computes it: a count's readings add up, so a target of 10
    /// deploys a week is held against weekly sums, not against single readings.
    public static func checkTargets(_ config: Config, text: String, store: any MetricStore, now: Date) async -> [Diagnostic] {
        let judged = config.kpis.filter { $0.role == .core && $0.target != nil }
        let window = targetWindow(endingAt: now)
        // One query for every KPI: a config of 250 KPIs is checked as fast as one of five.
        guard !judged.isEmpty, let readings = try? await store.readings(kpis: judged.map(\.id), from: window.start, to: window.end)
        else { return [] }
        // Each KPI's readings stay in time order (the query's), so a period's are found by two
        // binary searches; the periods are worked out once per zone and cadence, not per KPI.
        let byKPI = Dictionary(grouping: readings, by: \.kpi)
        var periodsOf: [String: [Period]] = [:]
        var ranges: ReadingRanges = [:]
        for kpi in judged {
            guard let own = byKPI[kpi.id], own.count >= 3 else { continue }
            let zone = config.zone(ofTeam: kpi.team)
            let cadence = kpi.reviewPeriod ?? .week
            let key = "\(zone.identifier) \(cadence.rawValue)"
            let periods = periodsOf[key] ?? completePeriods(cadence, in: zone, after: window.start, before: now)
            periodsOf[key] = periods
            var values: [Double] = []
            for period in periods {
                let first = firstIndex(in: own) { $0.at >= period.start }
                let end = firstIndex(in: own) { $0.at >= period.end }
                if first < end, let value = KPIAnalysis.value(kpi, in: period, Array(own[first..<end])) { values.append(value) }
            }
            if let low = values.min(), let high = values.max() { ranges[kpi.id] = (low, high, values.count) }
        }
        return checkTargets(config, text: text, ranges: ranges)
    }

    /// The whole periods of `cadence` before the one holding `now` that start at `start` or later, newest first.
    static func completePeriods(_ cadence: Period.Kind, in zone: TimeZone, after start: Date, before now: Date) -> [Period] {
        var periods: [Period] = []
        var period = Period.containing(now, kind: cadence, in: zone).previous
        while period.start >= start {
            periods.append(period)
            period = period.previous
        }
        return periods
    }

    /// The first position in `readings` (in time order) where `isAtOrAfter` holds; its count when none does.
    static func firstIndex(in readings: [MetricReading], where isAtOrAfter: (MetricReading) -> Bool) -> Int {
        var low = 0, high = readings.count
        while low < high {
            let middle = (low + high) / 2
            if isAtOrAfter(readings[middle]) { high = middle } else { low = middle + 1 }
        }
        return low
    }

    /// The same, against per-period ranges already computed.
    public static func checkTargets(_ config: Config, text: String, ranges: ReadingRanges) -> [Diagnostic] {
        // Mapping the text's lines costs as much as reading the config: only when there is a warning.
        var lines: ConfigLines?
        return config.kpis.enumerated().compactMap { index, kpi -> Diagnostic? in
            guard kpi.role == .core, let target = kpi.target, let range = ranges[kpi.id], range.count >= 3 else { return nil }
            let (low, high) = (range.low, range.high)
            let margin = max(high - low, abs(high) * 0.1, 1)
            guard target < low - margin || target > high + margin else { return nil }
            let keyPath = "kpi[\(index)].target"
            if lines == nil { lines = ConfigLines(text: text) }
            let per = (kpi.reviewPeriod ?? .week).rawValue
            return Diagnostic(
                file: config.file, line: lines!.line(of: keyPath), severity: .warning, keyPath: keyPath,
                message: "target \(MetricBounds.text(target)) is far outside its values per \(per) over the last 12 months (\(MetricBounds.text(low))–\(MetricBounds.text(high))); is it achievable, or is the unit different?")
        }
    }

    /// Loads a config for use: throws ``ConfigError`` listing every error; warnings are returned.
    public static func load(path: String) throws -> (config: Config, warnings: [Diagnostic]) {
        let (config, diagnostics) = check(path: path)
        let errors = diagnostics.filter { $0.severity == .error }
        guard errors.isEmpty, let config else { throw ConfigError(diagnostics: errors) }
        return (config, diagnostics)
    }

    /// The bundled templates with the config's `templates_dir` overrides, compiled.
    public static func renderer(for config: Config) throws -> ReportRenderer {
        guard let directory = config.templatesPath else { return try ReportRenderer() }
        guard isDirectory(directory) else {
            throw NarrateError(.unavailable, "templates_dir \(directory) is not a directory")
        }
        var overrides: [String: TemplateSource] = [:]
        for name in ReportRenderer.names {
            let path = "\(directory)/\(name).mustache"
            guard let data = FileManager.default.contents(atPath: path) else { continue }
            guard let text = String(data: data, encoding: .utf8) else {
                throw TemplateError(name: name, file: path, line: 1, column: 1, message: "not UTF-8 text")
            }
            overrides[name] = TemplateSource(text: text, file: path)
        }
        return try ReportRenderer(overrides: overrides)
    }

    static func isDirectory(_ path: String) -> Bool {
        var isDirectory: ObjCBool = false
        return FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) && isDirectory.boolValue
    }
}
