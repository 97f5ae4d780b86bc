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

/// Every route against every kind of caller, with the status each must get and, for reads, what
/// must not be in the answer. Two teams: Platform (Alice, Bob the admin, Chen, Dana; managed by
/// Erin) and Support (Frank; managed by Gina).
@Suite struct AuthorizationTableTests {
    enum Who: String, CaseIterable, CustomTestStringConvertible {
        case nobody, wrong, revoked, member, teammate, otherMember, manager, otherManager, admin
        var testDescription: String { rawValue }
    }

    struct World {
        let app: AppContext
        /// Each caller's API token and link (nil: none sent).
        let api: [Who: String]
        let link: [Who: String]
    }

    static func world() async throws -> World {
        let fixture = try ServiceFixture()
        var config = fixture.app.config
        config.persons += [Person(id: "frank", name: "Frank Ho"), Person(id: "gina", name: "Gina Lai")]
        config.teams[0].managerTargets = ["terminal"]
        config.teams.append(Team(id: "support", name: "Support", members: ["frank"], manager: "gina", targets: ["terminal"]))
        let app = fixture.app.replacing(config: config, renderer: fixture.app.renderer)
        var api: [Who: String] = [.wrong: "nra_" + String(repeating: "x", count: 43)]
        var link: [Who: String] = [.wrong: "nrl_" + String(repeating: "x", count: 43)]
        for (who, person) in [(Who.member, "alice"), (.teammate, "chen"), (.otherMember, "frank"), (.manager, "erin"),
                              (.otherManager, "gina"), (.admin, "bob"), (.revoked, "dana")] {
            let issued = try await app.tokens.create(for: app.config.person(person)!)
            (api[who], link[who]) = (issued.apiToken, issued.link)
        }
        _ = try await app.tokens.revoke(of: app.config.person("dana")!)
        // A cycle's archive: the team report and the digest with each person's answers.
        _ = try await app.checkIns.mood(app.config.person("chen")!, mood: 1, load: 5, at: nil)
        for formatted in try await app.pipeline.run(try app.pipeline.plan(team: "platform")[0]) {
            _ = try await app.store.enqueue(formatted.rendered.record, parts: formatted.parts, now: app.clock.now())
        }
        return World(app: app, api: api, link: link)
    }

    /// Who may: `allowed` get `ok`; a person who may not gets `refused`; no valid token, 401.
    static func expected(_ who: Who, allowed: Set<Who>, ok: HTTPResponse.Status, refused: HTTPResponse.Status) -> HTTPResponse.Status {
        switch who {
        case .nobody, .wrong, .revoked: .unauthorized
        default: allowed.contains(who) ? ok : refused
        }
    }

    static let everyone: Set<Who> = [.member, .teammate, .otherMember, .manager, .otherManager, .admin]
    static let platform: Set<Who> = [.member, .teammate, .manager, .admin]

    @Test(arguments: Who.allCases)
    func everyRouteAnswersEachCallerAsItShould(_ who: Who) async throws {
        let world = try await Self.world()
        let app = world.app
        let alice = app.config.person("alice")!
        // Alice's blocker, for the closing row.
        let blocker = try await app.checkIns.log(.blocker, text: "Waiting on the vendor", by: alice)
        _ = try await app.checkIns.away(alice, from: LocalDate(app.clock.now(), in: .gmt), to: LocalDate(app.clock.now(), in: .gmt).adding(days: 2))
        // A reading Alice recorded an hour ago, for the deleting row.
        let hourAgo = Date(timeIntervalSince1970: (app.clock.now().timeIntervalSince1970 - 3600).rounded())
        _ = try await app.metrics.record("lead-time", value: 40, at: hourAgo, by: .person(Caller(person: alice, isAdmin: false)), origin: .api)
        let at = TimeText.iso(hourAgo, in: .gmt).addingPercentEncoding(withAllowedCharacters: .alphanumerics)!
        let server = CheckInServer(current: { app }, rate: 1_000)
        try await Application(router: server.router()).test(.router) { client in
            func call(_ method: HTTPRequest.Method, _ uri: String, _ body: String? = nil) async throws -> (HTTPResponse.Status, String) {
                var headers: HTTPFields = [:]
                if let token = world.api[who] { headers[.authorization] = "Bearer \(token)" }
                if body != nil { headers[.contentType] = "application/json" }
                let response = try await client.execute(uri: uri, method: method, headers: headers, body: body.map { ByteBuffer(string: $0) })
                return (response.status, response.body.text)
            }
            func page(_ uri: String) async throws -> (HTTPResponse.Status, String) {
                let response = try await client.execute(uri: uri, method: .get)
                return (response.status, response.body.text)
            }
            var rows: [(String, HTTPResponse.Status, HTTPResponse.Status)] = []
            func row(_ name: String, _ got: (HTTPResponse.Status, String), _ expected: HTTPResponse.Status) { rows.append((name, got.0, expected)) }

            row("GET /v1/entries", try await call(.get, "/v1/entries"), Self.expected(who, allowed: Self.everyone, ok: .ok, refused: .forbidden))
            row("POST /v1/entries", try await call(.post, "/v1/entries", #"{"kind":"progress","text":"Shipped"}"#),
                Self.expected(who, allowed: Self.everyone, ok: .created, refused: .forbidden))
            row("PATCH /v1/entries/B (Alice's)", try await call(.patch, "/v1/entries/\(blocker.displayID)", #"{"state":"resolved"}"#),
                Self.expected(who, allowed: [.member, .manager, .admin], ok: .ok, refused: .forbidden))
            row("POST /v1/metrics (Platform's KPI)", try await call(.post, "/v1/metrics", #"{"kpi":"lead-time","value":30}"#),
                Self.expected(who, allowed: Self.platform, ok: .created, refused: .forbidden))
            let listed = try await call(.get, "/v1/metrics?kpi=lead-time&since=-1d")
            row("GET /v1/metrics?kpi=lead-time", listed, Self.expected(who, allowed: Self.platform, ok: .ok, refused: .forbidden))
            let all = try await call(.get, "/v1/metrics")
            row("GET /v1/metrics", all, Self.expected(who, allowed: Self.everyone, ok: .ok, refused: .forbidden))
            row("DELETE /v1/metrics/lead-time (Alice's)", try await call(.delete, "/v1/metrics/lead-time?at=\(at)"),
                Self.expected(who, allowed: [.member, .admin], ok: .ok, refused: .forbidden))
            let absences = try await call(.get, "/v1/absences?person=alice")
            row("GET /v1/absences?person=alice", absences, Self.expected(who, allowed: Self.platform, ok: .ok, refused: .forbidden))
            row("POST /v1/moods", try await call(.post, "/v1/moods", #"{"mood":4}"#),
                Self.expected(who, allowed: Self.everyone, ok: .created, refused: .forbidden))

            let key = world.link[who] ?? ""
            let team = try await page("/teams/platform?token=\(key)")
            row("GET /teams/platform", team, who == .nobody ? .unauthorized : Self.expected(who, allowed: Self.platform, ok: .ok, refused: .notFound))
            // Without a link there is no such page.
            row("GET /checkin/{link}", try await page("/checkin/\(key)"), who == .nobody ? .notFound : Self.expected(who, allowed: Self.everyone, ok: .ok, refused: .forbidden))

            for (name, got, expected) in rows { #expect(got == expected, "\(who) \(name): \(got), expected \(expected)") }
            // What a read must never show.
            #expect(!team.1.contains("Mood and load by person") && !team.1.contains("manager digest"), "\(who): the team page shows the team report only")
            if absences.0 != .ok { #expect(!absences.1.contains("\"alice\"")) }
            if !Self.platform.contains(who) { #expect(!all.1.contains("lead-time") && !listed.1.contains("\"value\""), "\(who): \(all.1)") }
            if Self.platform.contains(who) { #expect(listed.1.contains(#""author" : "alice""#) || listed.1.contains(#""author":"alice""#), "\(listed.1)") }
            for answer in [team.1, absences.1] {
                for token in world.api.values.map(\.self) + world.link.values.map(\.self) { #expect(!answer.contains(token)) }
            }
        }
        // A refused write changed nothing.
        let closed = try await app.store.entry(blocker.id)?.state == .resolved
        #expect(closed == [.member, .manager, .admin].contains(who))
        let readings = try await app.store.readings(kpis: ["lead-time"], from: .distantPast, to: .distantFuture)
        #expect(readings.filter { $0.at != hourAgo }.count == (Self.platform.contains(who) ? 1 : 0))
        #expect(readings.contains { $0.at == hourAgo } == ![.member, .admin].contains(who), "only its author or an admin deleted Alice's reading")
    }
}
