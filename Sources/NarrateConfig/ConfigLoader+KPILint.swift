import NarrateModel
import NarrateTOML
import NarrateTargets
/// The KPI rules from the seed articles: SMART fields, a guardrail for every core KPI,
/// 3–5 core KPIs a team, and at least one leading KPI.
extension ConfigLoader {
    static let maximumCoreKPIs = 5

    func lintKPIs(_ config: Config) {
        let ids = KnownIDs(config.kpis.map(\.id))
        for (index, (kpi, path)) in zip(config.kpis, kpiPaths).enumerated() {
            requireSMARTFields(kpi, path, written: kpiKeys[index])
            reference(kpi.guardrails, "\(path).guardrails", known: ids, what: "KPI")
            if kpi.guardrails.contains(kpi.id) {
                sink.add(.error, "\(path).guardrails", "a KPI cannot be its own guardrail")
            }
            if let warn = kpi.warnAt, let limit = kpi.limit, !kpi.isBetter(warn, than: limit) {
                sink.add(.error, "\(path).warn_at", "warn_at \(MetricBounds.text(warn)) must come before the limit \(MetricBounds.text(limit)) (on its better side)")
            }
            guard kpi.role == .core else {
                if !kpi.guardrails.isEmpty {
                    sink.add(.warning, "\(path).guardrails", "a guardrail's own guardrails are not evaluated")
                }
                continue
            }
            if kpi.guardrails.isEmpty {
                sink.add(
                    .error, path,
                    "core KPI \"\(kpi.id)\" has no guardrail; name the metric that would worsen if this KPI were bought with a side effect (speed vs quality, quantity vs cost, efficiency vs consequences) in guardrails = [...]"
                )
            }
            for (index, id) in kpi.guardrails.enumerated() {
                guard let guardrail = config.kpi(id), guardrail.id != kpi.id else { continue }
                if guardrail.limit == nil && guardrail.role == .core {
                    sink.add(
                        .warning, "\(path).guardrails[\(index)]",
                        "guardrail \"\(id)\" has no limit, so it can only be judged by whether it worsened")
                }
                if guardrail.team != kpi.team {
                    sink.add(.warning, "\(path).guardrails[\(index)]", "guardrail \"\(id)\" belongs to another team (\(guardrail.team))")
                }
            }
            if kpi.horizon == nil {
                sink.add(.warning, path, "core KPI \"\(kpi.id)\" does not declare horizon = \"leading\" or \"lagging\"")
            }
            // SMART: relevant (why it matters) and time-bound (by when); warnings, so configs
            // written before keep working.
            if kpi.objective == nil {
                sink.add(.warning, path, "core KPI \"\(kpi.id)\" has no objective; say why it matters (objective = \"…\")")
            }
            if kpi.by == nil {
                sink.add(.warning, path, "core KPI \"\(kpi.id)\" has no deadline for its target; add by = \"YYYY-MM-DD\"")
            }
            // A ratio can improve while its base shrinks: a count guardrail shows the base.
            if kpi.kind == .ratio && !kpi.guardrails.compactMap({ config.kpi($0) }).contains(where: { $0.kind == .count }) {
                sink.add(.warning, path, "ratio KPI \"\(kpi.id)\" has no count guardrail; a ratio can improve while what it counts shrinks")
            }
            reference(kpi.drives, "\(path).drives", known: ids, what: "KPI")
            for (index, id) in kpi.drives.enumerated() {
                if let driven = config.kpi(id), driven.horizon != .lagging {
                    sink.add(.warning, "\(path).drives[\(index)]", "\"\(id)\" is not a lagging KPI; drives links a leading KPI to the result it should move")
                }
            }
        }
        for (team, path) in zip(config.teams, teamPaths) {
            let core = zip(config.kpis, kpiPaths).filter { $0.0.team == team.id && $0.0.role == .core }
            if core.count > Self.maximumCoreKPIs {
                sink.add(
                    .warning, core[Self.maximumCoreKPIs].1,
                    "team \"\(team.id)\" has \(core.count) core KPIs; keep 3–5 so each one gets attention")
            }
            if !core.isEmpty && core.allSatisfy({ $0.0.horizon == .lagging }) {
                sink.add(
                    .warning, path,
                    "every core KPI of team \"\(team.id)\" is lagging; add a leading KPI that moves before the result does")
            }
        }
    }

    /// Specific and measurable (kind, unit, direction), with a goal (target or limit) and a review cadence.
    private func requireSMARTFields(_ kpi: KPI, _ path: String, written: Set<String>) {
        var missing: [String] = []
        if !written.contains("kind") { missing.append("kind (count|ratio|average|change)") }
        if !written.contains("unit") { missing.append("unit") }
        if !written.contains("direction") { missing.append("direction (up|down)") }
        if !written.contains("review") { missing.append("review (daily|weekly|monthly|quarterly)") }
        switch kpi.role {
        case .core where !written.contains("target"): missing.append("target")
        case .guardrail where !written.contains("limit"): missing.append("limit")
        default: break
        }
        for field in missing {
            sink.add(.error, path, "KPI \"\(kpi.id)\" does not declare \(field)")
        }
    }
}
