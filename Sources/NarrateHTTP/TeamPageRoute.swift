import Foundation
import HTTPTypes
import Hummingbird
import NarrateApp
import NarrateModel
import NarrateReport

extension CheckInServer {
    /// `GET /teams/{team}`: the team's latest report as HTML and one chart per KPI, for people of
    /// that team. They prove it with their check-in link (`?token=`), or with the view key the
    /// check-in page set as a cookie (so the link in the chat report works for them).
    func addTeamPage(to router: Router<ServerContext>) {
        router.get("teams/{team}") { request, context in
            let app = await self.current()
            do {
                let person: Person
                if let token = request.uri.queryParameters["token"].map(String.init), !token.isEmpty {
                    person = try await self.authenticateLink(token, request, context, app)
                } else if let key = Self.cookie(request, ViewCookie.name), !key.isEmpty {
                    do {
                        person = try await app.tokens.authenticate(viewKey: key)
                    } catch {
                        throw self.failed(error, address: self.client(request, context, app), format: .html)
                    }
                    try self.admit(token: key, format: .html)
                } else {
                    throw self.failed(
                        HTTPProblem(.unauthenticated, "open this page from your check-in link (or ask your team lead for one)", format: .html),
                        address: self.client(request, context, app), format: .html)
                }
                // The same answer for a team that does not exist and one that is not theirs: the
                // page names no team the person cannot see.
                guard let team = app.config.team(context.parameters.get("team") ?? ""),
                    team.members.contains(person.id) || team.manager == person.id || app.config.isAdmin(person)
                else {
                    throw HTTPProblem(.notFound, "no team page of yours here; open your own team's page from your check-in page", format: .html)
                }
                return try await self.teamPage(app.teamPage.content(team: team.id))
            } catch {
                throw self.problem(error, app, format: .html)
            }
        }
    }

    func teamPage(_ content: TeamPage.Content) throws -> Response {
        let t = PageText(locale: content.locale)
        let body = PageRenderer.render("team", [
            "t": t.all, "charts": content.charts.map { ["svg": KPIChart.svg($0, text: t)] },
            // cmark-gfm's HTML of the report, whose every typed word was escaped as Markdown.
            "report": MarkdownDocument.html(content.markdown),
        ])
        let document = PageRenderer.document(title: "narrate · \(content.team.name)", lang: content.locale, body: body)
        return Response(status: .ok, headers: Self.pageHeaders, body: .init(byteBuffer: ByteBuffer(string: document)))
    }

    static func cookie(_ request: Request, _ name: String) -> String? {
        for header in request.headers[values: .cookie] {
            for pair in header.split(separator: ";") {
                let parts = pair.trimmingCharacters(in: .whitespaces).split(separator: "=", maxSplits: 1)
                if parts.count == 2, parts[0] == name { return String(parts[1]) }
            }
        }
        return nil
    }
}

/// The cookie a check-in page sets so the same person can open their team's page: the link's
/// view key (``Tokens/viewKey(forLink:)``), which cannot check in, sent to the team pages only,
/// for a week. The first version kept the link itself under `narrate_link` for every path for
/// 30 days; that cookie is cleared.
enum ViewCookie {
    static let name = "narrate_view"
    static let oldName = "narrate_link"

    static func headers(_ key: String, publicURL: String?) -> [String] {
        let secure = publicURL?.hasPrefix("https://") ?? false ? "; Secure" : ""
        // Behind a proxy at https://example.org/narrate the pages are under /narrate/teams/.
        let prefix = publicURL.flatMap { URLComponents(string: $0)?.path }.map { $0.hasSuffix("/") ? String($0.dropLast()) : $0 } ?? ""
        return [
            "\(name)=\(key); Path=\(prefix)/teams/; Max-Age=604800; HttpOnly; SameSite=Lax\(secure)",
            "\(oldName)=; Path=/; Max-Age=0; HttpOnly; SameSite=Lax\(secure)",
        ]
    }
}

/// One KPI's last periods as an inline SVG: the values as a line, the target (green, dashed),
/// a guardrail's limit (red, dashed) and warning tier (orange, dotted); readable without script,
/// labelled for screen readers.
/// A KPI's last periods as an SVG line chart (through the `chart` page template): the values,
/// its target, limit and warning lines, the first and last period's labels.
enum KPIChart {
    static func svg(_ chart: TeamPage.Chart, text t: PageText) -> String {
        let width = 340.0, height = 150.0, left = 44.0, right = 10.0, top = 12.0, bottom = 28.0
        let measured = chart.values.compactMap { $0 }
        let lines = [chart.target, chart.limit, chart.warnAt].compactMap { $0 }
        let all = measured + lines
        var low = all.min() ?? 0, high = all.max() ?? 1
        if high == low { high += 1; low -= 1 }
        let pad = (high - low) * 0.1
        low -= pad
        high += pad
        func x(_ index: Int) -> Double { left + (width - left - right) * Double(index) / Double(max(1, chart.values.count - 1)) }
        func y(_ value: Double) -> Double { top + (height - top - bottom) * (1 - (value - low) / (high - low)) }
        func number(_ value: Double) -> String { String(format: "%.1f", value) }
        func label(_ value: Double) -> String { (value == value.rounded() ? String(Int(value)) : String(format: "%.1f", value)) }
        let unit = chart.unit.isEmpty ? "" : " " + chart.unit
        let latest = chart.values.last.flatMap { $0 }
        let summary = t.format(.chartSummary, chart.name, String(chart.values.count))
            + (latest.map { t.format(.chartNow, label($0) + unit) } ?? "")
        var marks: [[String: Any]] = []
        for (value, color, dash, name) in [
            (chart.target, "#0a5", "6 4", t(.target)), (chart.limit, "#c00", "6 4", t(chart.limitIsFloor ? .floor : .ceiling)),
            (chart.warnAt, "#e80", "2 3", t(.warning)),
        ] {
            guard let value else { continue }
            marks.append([
                "x1": Int(left), "x2": Int(width - right), "y": number(y(value)), "color": color, "dash": dash, "name": name,
                "value": label(value), "textX": Int(width - right - 2), "textY": number(y(value) - 3),
            ])
        }
        let points = chart.values.enumerated().compactMap { index, value in value.map { (index, $0) } }
        var values: [String: Any] = [
            "width": Int(width), "height": Int(height), "summary": summary,
            "plot": ["x": Int(left), "y": Int(top), "width": Int(width - left - right), "height": Int(height - top - bottom)],
            "lines": marks,
            "points": points.map { index, value in
                ["x": number(x(index)), "y": number(y(value)), "title": "\(chart.labels[index]): \(label(value))\(unit)"]
            },
            "axis": [
                ["x": Int(left) - 4, "y": number(y(high - pad) + 4), "label": label(high - pad)],
                ["x": Int(left) - 4, "y": number(y(low + pad) + 4), "label": label(low + pad)],
            ],
            "caption": chart.unit.isEmpty ? chart.name : t.format(.unitCaption, chart.name, chart.unit),
        ]
        if points.count > 1 { values["polyline"] = points.map { "\(number(x($0.0))),\(number(y($0.1)))" }.joined(separator: " ") }
        if let first = chart.labels.first, let last = chart.labels.last {
            values["span"] = ["leftX": Int(left), "rightX": Int(width - right), "y": Int(height) - 8, "first": first, "last": last]
        }
        return PageRenderer.render("chart", values)
    }
}
