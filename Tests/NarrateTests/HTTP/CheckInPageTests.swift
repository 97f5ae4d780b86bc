import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing
@testable import NarrateApp
@testable import NarrateModel
@testable import NarrateTOML
@testable import NarrateConfig
@testable import NarrateReport
@testable import NarrateTargets
@testable import NarratePlatform
@testable import NarrateHTTP

/// The web check-in page, without a browser: its forms, their protection, its errors.
/// (CheckInBrowserTests drives the same page in headless Chromium.)
@Suite struct CheckInPageTests {
    static let formHeaders: HTTPFields = [.contentType: "application/x-www-form-urlencoded"]

    @Test(arguments: ServiceFixture.Transport.allCases)
    func thePageShowsTheFormsAndOpenItemsAndItsFormsCheckIn(_ transport: ServiceFixture.Transport) async throws {
        let fixture = try ServiceFixture()
        let blocker = try await fixture.app.checkIns.log(.blocker, text: "Waiting on <legal>", by: fixture.person("alice"))
        let issued = try await fixture.app.tokens.create(for: fixture.person("alice"))
        let key = CheckInServer.formKey(issued.link)
        try await fixture.test(transport) { client in
            let page = try await client.execute(uri: "/checkin/\(issued.link)", method: .get)
            #expect(page.status == .ok)
            let html = page.body.text
            #expect(html.contains("<label for=\"text\">"))
            #expect(html.contains("Waiting on &lt;legal&gt;"))
            #expect(!html.contains("<script"))
            #expect(page.headers[.referrerPolicy] == "no-referrer")
            #expect(page.headers[.cacheControl] == "no-store")
            #expect(page.headers[HTTPField.Name("Content-Security-Policy")!]?.contains("frame-ancestors 'none'") == true)

            let log = formEncoded([("csrf", key), ("action", "log"), ("kind", "progress"), ("text", "Shipped the refund macro")])
            let saved = try await client.execute(uri: "/checkin/\(issued.link)", method: .post, headers: Self.formHeaders, body: ByteBuffer(string: log))
            #expect(saved.status == .seeOther)
            #expect(saved.headers[.location]?.hasPrefix("\(issued.link)?ok=logged&ref=P-") == true)

            let close = formEncoded([("csrf", key), ("action", "close"), ("id", blocker.displayID), ("state", "resolved")])
            let closed = try await client.execute(uri: "/checkin/\(issued.link)", method: .post, headers: Self.formHeaders, body: ByteBuffer(string: close))
            #expect(closed.status == .seeOther)

            let after = try await client.execute(uri: "/checkin/\(issued.link)?ok=closed&ref=\(blocker.displayID)", method: .get)
            #expect(after.body.text.contains("\(blocker.displayID) closed."))
            #expect(after.body.text.contains("Shipped the refund macro"))
        }
        await #expect(try fixture.app.store.entry(blocker.id)?.state == .resolved)
        await #expect(try fixture.entryCount() == 2)
    }

    @Test func aTeamInZhHantGetsThePageInZhHant() async throws {
        let fixture = try ServiceFixture(extraHTTP: "")
        var config = fixture.app.config
        config.teams[0].locale = "zh-Hant"
        let app = fixture.app.replacing(config: config, renderer: fixture.app.renderer)
        let server = CheckInServer(current: { app }, rate: 100)
        let issued = try await app.tokens.create(for: fixture.person("alice"))
        try await Application(router: server.router()).test(.router) { client in
            let page = try await client.execute(uri: "/checkin/\(issued.link)", method: .get)
            #expect(page.body.text.contains("<html lang=\"zh-Hant\">"))
            #expect(page.body.text.contains("填寫近況"))
        }
    }

    @Test func formsWithoutTheKeyOrFromAnotherSiteOrWithBadFieldsStoreNothing() async throws {
        let fixture = try ServiceFixture()
        let issued = try await fixture.app.tokens.create(for: fixture.person("alice"))
        let key = CheckInServer.formKey(issued.link)
        let good = [("action", "log"), ("kind", "progress"), ("text", "forged")]
        var crossSite = Self.formHeaders
        crossSite[HTTPField.Name("Sec-Fetch-Site")!] = "cross-site"
        var otherOrigin = Self.formHeaders
        otherOrigin[.origin] = "https://evil.example"
        let cases: [(String, HTTPFields, String, HTTPResponse.Status, String)] = [
            ("no form key", Self.formHeaders, formEncoded(good), .forbidden, "csrf"),
            ("another link's key", Self.formHeaders, formEncoded([("csrf", CheckInServer.formKey("nrl_other"))] + good), .forbidden, "csrf"),
            ("cross-site post", crossSite, formEncoded([("csrf", key)] + good), .forbidden, "Sec-Fetch-Site"),
            ("other origin", otherOrigin, formEncoded([("csrf", key)] + good), .forbidden, "Origin"),
            ("unknown kind", Self.formHeaders, formEncoded([("csrf", key), ("action", "log"), ("kind", "rant"), ("text", "x")]), .badRequest, "kind"),
            ("empty text", Self.formHeaders, formEncoded([("csrf", key), ("action", "log"), ("kind", "progress"), ("text", " ")]), .badRequest, "text"),
            ("mood out of scale", Self.formHeaders, formEncoded([("csrf", key), ("action", "mood"), ("mood", "9")]), .badRequest, "mood"),
            ("bad escape", Self.formHeaders, "csrf=\(key)&action=log&kind=progress&text=%zz", .badRequest, "body"),
        ]
        try await fixture.test(.router) { client in
            for (name, headers, body, status, field) in cases {
                let response = try await client.execute(uri: "/checkin/\(issued.link)", method: .post, headers: headers, body: ByteBuffer(string: body))
                #expect(response.status == status, "\(name): \(response.body.text.prefix(300))")
                #expect(response.headers[.contentType]?.hasPrefix("text/html") == true, "\(name)")
                #expect(response.body.text.contains(field), "\(name) names \(field)")
            }
            let wrongLink = try await client.execute(uri: "/checkin/nrl_guess", method: .get)
            #expect(wrongLink.status == .unauthorized)
            #expect(wrongLink.headers[.contentType]?.hasPrefix("text/html") == true)
            // An API token does not open the page.
            #expect(try await client.execute(uri: "/checkin/\(issued.apiToken)", method: .get).status == .unauthorized)
        }
        await #expect(try fixture.entryCount() == 0)
        await #expect(try fixture.app.store.moods(from: Date().addingTimeInterval(-60), to: Date().addingTimeInterval(60)).isEmpty)
    }
}

/// `/healthz` and `/metrics`.
@Suite struct ServiceHealthTests {
    @Test func healthzAnswersOkWithTheBacklogAnd503WhenTheSchedulerIsOverdueOrTheStoreFails() async throws {
        let heartbeat = Heartbeat()
        heartbeat.beat(at: Date(), next: Date().addingTimeInterval(60), failures: 0)
        let healthy = try ServiceFixture(heartbeat: heartbeat)
        try await healthy.test(.live) { client in
            let response = try await client.execute(uri: "/healthz", method: .get)
            #expect(response.status == .ok)
            #expect(response.body.json["status"] as? String == "ok")
            #expect((response.body.json["outbox"] as? [String: Any])?["backlog"] as? Int == 0)
            #expect((response.body.json["scheduler"] as? [String: Any])?["ok"] as? Bool == true)
        }
        heartbeat.beat(at: Date().addingTimeInterval(-900), next: Date().addingTimeInterval(-600), failures: 0)
        try await healthy.test(.router) { client in
            let response = try await client.execute(uri: "/healthz", method: .get)
            #expect(response.status == .serviceUnavailable)
            #expect((response.body.json["scheduler"] as? [String: Any])?["ok"] as? Bool == false)
        }
        let faulty = try ServiceFixture(store: { base in
            let store = FaultyStore(base)
            store.fail("outboxBacklog", times: 100)
            return store
        })
        try await faulty.test(.router) { client in
            let response = try await client.execute(uri: "/healthz", method: .get)
            #expect(response.status == .serviceUnavailable)
            #expect((response.body.json["store"] as? [String: Any])?["ok"] as? Bool == false)
        }
    }

    @Test func metricsCountRequestsByRouteAndCheckInsByChannelWithoutTokens() async throws {
        let fixture = try ServiceFixture()
        let issued = try await fixture.app.tokens.create(for: fixture.person("alice"))
        try await fixture.test(.live) { client in
            _ = try await client.execute(
                uri: "/v1/entries", method: .post, headers: bearer(issued.apiToken), body: jsonBody(["kind": "win", "text": "metrics"]))
            _ = try await client.execute(uri: "/checkin/\(issued.link)", method: .get)
            let metrics = try await client.execute(uri: "/metrics", method: .get)
            #expect(metrics.status == .ok)
            #expect(metrics.headers[.contentType]?.hasPrefix("text/plain") == true)
            let text = metrics.body.text
            #expect(text.contains(#"narrate_checkins_total{channel="api"}"#))
            #expect(text.contains(#"route="/v1/entries""#))
            #expect(text.contains(#"route="/checkin/{token}""#))
            #expect(text.contains("narrate_http_request_duration_seconds"))
            #expect(!text.contains(issued.link))
            #expect(!text.contains(issued.apiToken))
        }
    }
}

/// Drafts from a person's tools on their check-in page: confirmed with their own words, or
/// discarded, through the page's forms.
@Suite struct CheckInPageDraftTests {
    @Test func draftsAreConfirmedAndDiscardedOnThePage() async throws {
        let fixture = try ServiceFixture()
        let at = Date().addingTimeInterval(-3600)
        var first = Entry(person: "alice", kind: .progress, text: "Merged acme/app#12: PR 12", at: at)
        first.origin = "gh"
        var second = Entry(person: "alice", kind: .progress, text: "Noise", at: at)
        second.origin = "gh"
        try await fixture.app.store.addDrafts([SourcedEntry(entry: first, key: "k1"), SourcedEntry(entry: second, key: "k2")], now: Date())
        let drafts = try await fixture.app.store.drafts(person: "alice", state: .pending)
        let issued = try await fixture.app.tokens.create(for: fixture.person("alice"))
        let key = CheckInServer.formKey(issued.link)
        try await fixture.test(.router) { client in
            let page = try await client.execute(uri: "/checkin/\(issued.link)", method: .get)
            #expect(page.body.text.contains("From your tools"))
            #expect(page.body.text.contains("Merged acme/app#12: PR 12"))
            let confirm = formEncoded([("csrf", key), ("action", "confirm"), ("id", drafts[0].displayID), ("text", "Merged the refund macro (#12)")])
            let confirmed = try await client.execute(
                uri: "/checkin/\(issued.link)", method: .post, headers: CheckInPageTests.formHeaders, body: ByteBuffer(string: confirm))
            #expect(confirmed.status == .seeOther)
            #expect(confirmed.headers[.location]?.contains("ok=confirmed&ref=P-") == true)
            let discard = formEncoded([("csrf", key), ("action", "discard"), ("id", drafts[1].displayID)])
            #expect(try await client.execute(
                uri: "/checkin/\(issued.link)", method: .post, headers: CheckInPageTests.formHeaders, body: ByteBuffer(string: discard)).status == .seeOther)
            let again = try await client.execute(
                uri: "/checkin/\(issued.link)", method: .post, headers: CheckInPageTests.formHeaders, body: ByteBuffer(string: discard))
            #expect(again.status == .conflict, "a discarded draft stays discarded")
            let after = try await client.execute(uri: "/checkin/\(issued.link)", method: .get)
            #expect(!after.body.text.contains("From your tools"))
        }
        let entries = try await fixture.app.store.entries(from: at.addingTimeInterval(-1), to: Date().addingTimeInterval(1))
        #expect(entries.map(\.text) == ["Merged the refund macro (#12)"])
        #expect(entries.first?.origin == "gh")
    }
}

/// The team page: the latest report as HTML and a chart per KPI, for the team's people only.
@Suite struct TeamPageTests {
    @Test func theTeamPageShowsTheReportAndChartsToTheTeamOnly() async throws {
        let fixture = try ServiceFixture()
        var config = fixture.app.config
        config.teams[0].members.removeAll { $0 == "dana" }
        let app = fixture.app.replacing(config: config, renderer: fixture.app.renderer)
        let readings = (0..<8).map { week in
            MetricReading(kpi: "lead-time", value: Double(40 - week * 2), at: Date().addingTimeInterval(-Double(7 - week) * 7 * 86_400))
        }
        try await app.store.record(readings)
        let alice = try await app.tokens.create(for: app.config.person("alice")!)
        let dana = try await app.tokens.create(for: app.config.person("dana")!)
        let server = CheckInServer(current: { app }, rate: 100)
        try await Application(router: server.router()).test(.router) { client in
            #expect(try await client.execute(uri: "/teams/platform", method: .get).status == .unauthorized)
            // The check-in page sets the cookie the team page accepts.
            let page = try await client.execute(uri: "/checkin/\(alice.link)", method: .get)
            let cookies = page.headers[values: .setCookie]
            let cookie = try #require(cookies.first { $0.hasPrefix("narrate_view=") })
            // The team pages' key, not the link: for /teams/ only, a week, and it cannot check in.
            let key = Tokens.viewKey(forLink: alice.link)
            #expect(cookie.hasPrefix("narrate_view=\(key); Path=/teams/; Max-Age=604800") && cookie.contains("HttpOnly") && cookie.contains("Secure"))
            #expect(!cookies.joined().contains(alice.link), "the link itself is never a cookie")
            #expect(cookies.contains { $0.hasPrefix("narrate_link=; Path=/; Max-Age=0") }, "the old cookie is cleared")
            #expect(try await client.execute(uri: "/checkin/\(key)", method: .get).status == .unauthorized)
            #expect(page.body.text.contains("href=\"../teams/platform\""))
            let team = try await client.execute(
                uri: "/teams/platform", method: .get, headers: [.cookie: String(cookie.split(separator: ";")[0])])
            #expect(team.status == .ok)
            let html = team.body.text
            #expect(html.components(separatedBy: "<svg").count - 1 == 4, "two core KPIs and their two guardrails")
            #expect(html.contains("aria-label=\"PR lead time: last 12 periods, now 26 hours\"") || html.contains("aria-label=\"PR lead time: last 12 periods"))
            #expect(html.contains("<h1>Platform"))
            #expect(!html.contains("<script"))
            #expect(try await client.execute(uri: "/teams/platform?token=\(dana.link)", method: .get).status == .notFound, "not theirs: as if it did not exist")
            #expect(try await client.execute(uri: "/teams/platform?token=\(alice.apiToken)", method: .get).status == .unauthorized)
            // The key ends with the link.
            _ = try await app.tokens.revoke(of: app.config.person("alice")!)
            let revoked = try await client.execute(
                uri: "/teams/platform", method: .get, headers: [.cookie: String(cookie.split(separator: ";")[0])])
            #expect(revoked.status == .unauthorized)
        }
        let markdown = try await app.pipeline.run(try app.pipeline.plan(team: "platform")[0])[0].rendered.markdown
        #expect(markdown.contains("[Team page with KPI charts](https://narrate.example.org/teams/platform)"))
    }
}
