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
                    person = try self.authenticateLink(token, request, context, app)
                } else if let key = Self.cookie(request, ViewCookie.name), !key.isEmpty {
                    do {
                        person = try app.tokens.authenticate(viewKey: key)
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
                return try self.teamPage(app.teamPage.content(team: team.id))
            } catch {
                throw self.problem(error, app, format: .html)
            }
        }
    }

    func teamPage(_ content: TeamPage.Content) throws -> Response {
        let chinese = content.locale == "zh-Hant"
        var html = "<main>\n<p><small>" + HTML.escape(chinese ? "最近一期報告，以及各 KPI 近 12 期的走勢。" : "The latest report, and each KPI over the last 12 periods.")
            + "</small></p>\n"
        html += "<section aria-labelledby=\"charts-h\"><h2 id=\"charts-h\">\(HTML.escape(chinese ? "KPI 走勢" : "KPI trends"))</h2>\n"
        for chart in content.charts { html += KPIChart.svg(chart, chinese: chinese) + "\n" }
        html += "</section>\n<article class=\"report\">\n" + MarkdownDocument.html(content.markdown) + "</article>\n</main>"
        let document = HTML.document(title: "narrate · \(content.team.name)", lang: content.locale, body: html)
        return Response(status: .ok, headers: Self.pageHeaders, body: .init(byteBuffer: ByteBuffer(string: document)))
    }

    /// A cookie's value from the request's `Cookie` header.
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
enum KPIChart {
    static func svg(_ chart: TeamPage.Chart, chinese: Bool) -> String {
        let width = 340.0, height = 150.0, left = 44.0, right = 10.0, top = 12.0, bottom = 28.0
        let values = chart.values.compactMap { $0 }
        let lines = [chart.target, chart.limit, chart.warnAt].compactMap { $0 }
        let all = values + lines
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
        let summary = (chinese ? "\(chart.name)：最近 \(chart.values.count) 期" : "\(chart.name): last \(chart.values.count) periods")
            + (latest.map { chinese ? "，本期 \(label($0))\(unit)" : ", now \(label($0))\(unit)" } ?? "")
        var svg = "<figure class=\"chart\"><svg viewBox=\"0 0 \(Int(width)) \(Int(height))\" width=\"100%\" role=\"img\" aria-label=\"\(HTML.escape(summary))\" xmlns=\"http://www.w3.org/2000/svg\">"
        svg += "<title>\(HTML.escape(summary))</title>"
        svg += "<rect x=\"\(Int(left))\" y=\"\(Int(top))\" width=\"\(Int(width - left - right))\" height=\"\(Int(height - top - bottom))\" fill=\"#fff\" stroke=\"#ddd\"/>"
        for (value, color, dash, name) in [
            (chart.target, "#0a5", "6 4", chinese ? "目標" : "target"), (chart.limit, "#c00", "6 4", chinese ? (chart.limitIsFloor ? Glossary.floor : Glossary.ceiling) : (chart.limitIsFloor ? "floor" : "ceiling")),
            (chart.warnAt, "#e80", "2 3", chinese ? "警戒" : "warning"),
        ] {
            guard let value else { continue }
            svg += "<line x1=\"\(Int(left))\" x2=\"\(Int(width - right))\" y1=\"\(number(y(value)))\" y2=\"\(number(y(value)))\" stroke=\"\(color)\" stroke-dasharray=\"\(dash)\"/>"
            svg += "<text x=\"\(Int(width - right - 2))\" y=\"\(number(y(value) - 3))\" font-size=\"10\" text-anchor=\"end\" fill=\"\(color)\">\(HTML.escape(name)) \(label(value))</text>"
        }
        let points = chart.values.enumerated().compactMap { index, value in value.map { "\(number(x(index))),\(number(y($0)))" } }
        if points.count > 1 { svg += "<polyline points=\"\(points.joined(separator: " "))\" fill=\"none\" stroke=\"#1d4ed8\" stroke-width=\"2\"/>" }
        for (index, value) in chart.values.enumerated() {
            guard let value else { continue }
            svg += "<circle cx=\"\(number(x(index)))\" cy=\"\(number(y(value)))\" r=\"3\" fill=\"#1d4ed8\"><title>\(HTML.escape(chart.labels[index])): \(label(value))\(HTML.escape(unit))</title></circle>"
        }
        svg += "<text x=\"\(Int(left) - 4)\" y=\"\(number(y(high - pad) + 4))\" font-size=\"10\" text-anchor=\"end\">\(label(high - pad))</text>"
        svg += "<text x=\"\(Int(left) - 4)\" y=\"\(number(y(low + pad) + 4))\" font-size=\"10\" text-anchor=\"end\">\(label(low + pad))</text>"
        if let first = chart.labels.first, let last = chart.labels.last {
            svg += "<text x=\"\(Int(left))\" y=\"\(Int(height) - 8)\" font-size=\"10\">\(HTML.escape(first))</text>"
            svg += "<text x=\"\(Int(width - right))\" y=\"\(Int(height) - 8)\" font-size=\"10\" text-anchor=\"end\">\(HTML.escape(last))</text>"
        }
        svg += "</svg><figcaption>\(HTML.escape(chart.name))\(HTML.escape(unit.isEmpty ? "" : chinese ? "（\(chart.unit)）" : " (\(chart.unit))"))</figcaption></figure>"
        return svg
    }
}
