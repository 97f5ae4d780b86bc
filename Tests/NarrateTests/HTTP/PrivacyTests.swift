import Foundation
import GRDB
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
@testable import NarrateStore

/// Individual answers are seen by the manager alone, and a KPI's readings are written by its
/// team: wherever they are read or written (page, API, socket, shell).
@Suite struct PrivacyTests {
    /// The example team with a manager target, so a cycle archives a digest beside the report.
    static func withDigest() throws -> AppContext {
        let fixture = try ServiceFixture()
        var config = fixture.app.config
        config.teams[0].managerTargets = ["terminal"]
        return fixture.app.replacing(config: config, renderer: fixture.app.renderer)
    }

    /// Queues one cycle as `now` does: the team report, then the digest (the newest).
    static func archiveCycle(_ app: AppContext) async throws -> (report: Int64, digest: Int64) {
        try await app.store.record([MetricReading(kpi: "lead-time", value: 30, at: app.clock.now().addingTimeInterval(-3_600))])
        _ = try await app.checkIns.mood(app.config.person("bob")!, mood: 1, load: 5, at: nil)
        let formatted = try await app.pipeline.run(try app.pipeline.plan(team: "platform")[0])
        #expect(formatted.map(\.rendered.kind) == [.team, .digest])
        let ids = try await formatted.asyncMap { try await app.store.enqueue($0.rendered.record, parts: $0.parts, now: app.clock.now()).0.id }
        return (ids[0], ids[1])
    }

    @Test func aMemberSeesTheTeamReportOnTheTeamPageNeverTheDigest() async throws {
        let app = try Self.withDigest()
        _ = try await Self.archiveCycle(app)
        let alice = try await app.tokens.create(for: app.config.person("alice")!)
        let erin = try await app.tokens.create(for: app.config.person("erin")!)
        let server = CheckInServer(current: { app }, rate: 100)
        try await Application(router: server.router()).test(.router) { client in
            for token in [alice.link, erin.link] {
                let page = try await client.execute(uri: "/teams/platform?token=\(token)", method: .get)
                #expect(page.status == .ok)
                #expect(page.body.text.contains("Platform · week of"), "the team report")
                #expect(!page.body.text.contains("manager digest") && !page.body.text.contains("Mood and load by person"))
            }
        }
    }

    @Test func aDigestIsReadByTheTeamsManagerAndAdminsOnly() async throws {
        let app = try Self.withDigest()
        let (report, digest) = try await Self.archiveCycle(app)
        func caller(_ id: String) -> Requester {
            let person = app.config.person(id)!
            return .person(Caller(person: person, isAdmin: app.config.isAdmin(person)))
        }
        await #expect(throws: NarrateError.self) { try await app.reports.archived(id: digest, by: caller("alice")) }
        await #expect(try app.reports.archived(id: report, by: caller("alice")).kind == "report")
        await #expect(try app.reports.archived(id: digest, by: caller("erin")).markdown?.contains("manager digest") == true)
        await #expect(try app.reports.archived(id: digest, by: caller("bob")).kind == "digest", "bob is an admin")
        await #expect(try app.reports.archived(id: digest, by: .storeOwner(user: "narrate")).kind == "digest")
        await #expect(try app.reports.archived(by: caller("alice")).map(\.id) == [report])
        await #expect(try app.reports.archived(by: caller("erin")).map(\.id) == [digest, report])
    }

    /// Stores from before digests had a kind of their own: the digests are found by their title.
    @Test func anUpgradedStoreTellsItsDigestsApart() throws {
        let directory = temporaryDirectory()
        let path = directory + "/" + SQLiteStore.fileName
        let queue = try DatabaseQueue(path: path)
        try SQLiteStore.migrator.migrate(queue, upTo: "v12-metric-authors")
        try queue.write { db in
            // Ids 1 and 4 are team reports (the second names a digest below its title), 2 and 3 digests.
            for markdown in ["# Platform · week of 16–22 Nov 2026\n", "# Platform · manager digest · 16–22 Nov 2026\n\nThis digest",
                             "# 平台 · 主管摘要 · 2026年11月16日至11月22日\n",
                             "# Platform · week of 16–22 Nov\n\n- manager digest · in a person's text\n"] {
                try db.execute(
                    sql: "INSERT INTO report (team, schedule, period_start, period_end, markdown, created_at) VALUES ('platform', NULL, 0, 1, ?, 0)",
                    arguments: [markdown])
            }
        }
        try queue.close()
        let store = try SQLiteStore(directory: directory)
        #expect(try store.reports(team: "platform", kinds: [ReportRecord.digestKind], limit: 10).map(\.id) == [3, 2])
        #expect(try store.reports(team: "platform", kinds: [ReportRecord.reportKind], limit: 10).map(\.id) == [4, 1])
    }

    // MARK: KPI readings

    @Test func onlyTheKPIsTeamItsManagerOwnerOrAnAdminRecordAReading() async throws {
        var (app, _) = try exampleContext(config: exampleConfig(
            replacing: "[narrate]\n", with: "[narrate]\nadmins = [\"bob\"]\n") + """

            [[person]]
            id = "frank"
            name = "Frank Ho"

            [[team]]
            id = "support"
            name = "Support"
            members = ["frank"]
            targets = ["terminal"]
            """)
        app = app.replacing(config: app.config, renderer: app.renderer)
        func caller(_ id: String) -> Requester {
            let person = app.config.person(id)!
            return .person(Caller(person: person, isAdmin: app.config.isAdmin(person)))
        }
        let at = Date(timeIntervalSince1970: (app.clock.now().timeIntervalSince1970 - 7_200).rounded(.down))
        _ = try await app.metrics.record("change-failure-rate", value: 18, at: at, by: caller("alice"), origin: .api)
        await #expect {
            try await app.metrics.record("change-failure-rate", value: 3, at: at.addingTimeInterval(60), by: caller("frank"), origin: .api)
        } throws: { ($0 as? NarrateError)?.category == .forbidden && "\($0)".contains("only Platform's members, its manager, the KPI's owner or an admin") }
        // The manager (not a member) may; another member may not replace Alice's breach.
        _ = try await app.metrics.record("lead-time", value: 30, at: at, by: caller("erin"), origin: .api)
        await #expect {
            try await app.metrics.record("change-failure-rate", value: 3, at: at, by: caller("chen"), origin: .api)
        } throws: { ($0 as? NarrateError)?.category == .conflict && "\($0)".contains("already has 18") && "\($0)".contains("recorded by alice") }
        // The same value again is no change; an admin may replace it, and is recorded as its author.
        _ = try await app.metrics.record("change-failure-rate", value: 18, at: at, by: caller("chen"), origin: .api)
        await #expect(try app.store.reading(kpi: "change-failure-rate", at: at)?.author == "alice")
        _ = try await app.metrics.record("change-failure-rate", value: 12, at: at, by: caller("bob"), origin: .cli)
        let kept = try await #require(try app.store.reading(kpi: "change-failure-rate", at: at))
        #expect(kept.value == 12 && kept.author == "bob" && kept.origin == .cli)
        // An import by a member that would replace a reading imports nothing.
        let csv = "kpi,value,at\nlead-time,31,\(TimeText.iso(at.addingTimeInterval(60), in: .gmt))\nchange-failure-rate,5,\(TimeText.iso(at, in: .gmt))\n"
        await #expect(throws: NarrateError.self) { try await app.metrics.importCSV(csv, file: "r.csv", by: caller("alice")) }
        await #expect(try app.store.metricCount() == 2)
        await #expect(throws: NarrateError.self) { try await app.metrics.importCSV(csv, file: "r.csv", by: caller("frank")) }
    }

    @Test(arguments: ServiceFixture.Transport.allCases)
    func theAPIRefusesAnotherTeamsKPI(_ transport: ServiceFixture.Transport) async throws {
        let fixture = try ServiceFixture()
        let frank = try await fixture.app.tokens.create(for: fixture.person("dana"))
        var config = fixture.app.config
        config.teams[0].members.removeAll { $0 == "dana" }
        let app = fixture.app.replacing(config: config, renderer: fixture.app.renderer)
        let server = CheckInServer(current: { app }, rate: 100)
        let body = #"{"kpi":"change-failure-rate","value":3}"#
        try await Application(router: server.router()).test(transport == .router ? .router : .live) { client in
            let response = try await client.execute(
                uri: "/v1/metrics", method: .post,
                headers: [.authorization: "Bearer \(frank.apiToken)", .contentType: "application/json"], body: ByteBuffer(string: body))
            #expect(response.status == .forbidden, "\(response.body.text)")
        }
        await #expect(try app.store.metricCount() == 0)
    }
}

/// What the service tells people outside a team: nothing about it.
@Suite struct OutsidersTests {
    /// The example config with a second team whose only member is Frank.
    static func twoTeams() throws -> AppContext {
        let fixture = try ServiceFixture()
        var config = fixture.app.config
        config.persons.append(Person(id: "frank", name: "Frank Ho"))
        config.teams.append(Team(id: "support", name: "Support", members: ["frank"]))
        return fixture.app.replacing(config: config, renderer: fixture.app.renderer)
    }

    @Test func daysAwayAreSeenWithinOnesOwnTeams() async throws {
        let app = try Self.twoTeams()
        let today = LocalDate(app.clock.now(), in: .gmt)
        _ = try await app.checkIns.away(app.config.person("alice")!, from: today, to: today.adding(days: 2))
        _ = try await app.checkIns.away(app.config.person("frank")!, from: today, to: today.adding(days: 1))
        let frank = try await app.tokens.create(for: app.config.person("frank")!)
        let chen = try await app.tokens.create(for: app.config.person("chen")!)
        let bob = try await app.tokens.create(for: app.config.person("bob")!)
        let server = CheckInServer(current: { app }, rate: 100)
        try await Application(router: server.router()).test(.router) { client in
            func people(_ token: String, _ query: String = "") async throws -> (HTTPResponse.Status, [String]) {
                let response = try await client.execute(uri: "/v1/absences\(query)", method: .get, headers: bearer(token, json: false))
                let list = response.body.json["absences"] as? [[String: Any]] ?? []
                return (response.status, list.compactMap { $0["person"] as? String }.sorted())
            }
            let (frankStatus, frankSees) = try await people(frank.apiToken)
            #expect(frankStatus == .ok && frankSees == ["frank"])
            let (_, chenSees) = try await people(chen.apiToken)
            #expect(chenSees == ["alice"])
            let (_, bobSees) = try await people(bob.apiToken)
            #expect(bobSees == ["alice", "frank"], "an admin sees everyone")
            let (asked, _) = try await people(frank.apiToken, "?person=alice")
            #expect(asked == .forbidden)
        }
    }

    @Test func aTeamPageNamesNoOtherTeamAndErrorPagesKeepThePagesHeaders() async throws {
        let app = try Self.twoTeams()
        let frank = try await app.tokens.create(for: app.config.person("frank")!)
        let server = CheckInServer(current: { app }, rate: 100)
        try await Application(router: server.router()).test(.router) { client in
            let other = try await client.execute(uri: "/teams/platform?token=\(frank.link)", method: .get)
            let unknown = try await client.execute(uri: "/teams/nope?token=\(frank.link)", method: .get)
            #expect(other.status == .notFound && unknown.status == .notFound)
            #expect(other.body.text == unknown.body.text, "a team that exists and one that does not look alike")
            for name in ["platform", "Platform", "support"] { #expect(!unknown.body.text.contains(name)) }
            let anonymous = try await client.execute(uri: "/teams/support", method: .get)
            #expect(anonymous.status == .unauthorized)
            for response in [other, anonymous] {
                #expect(response.headers[.cacheControl] == "no-store")
                #expect(response.headers[HTTPField.Name("X-Frame-Options")!] == "DENY")
                #expect(response.headers[HTTPField.Name("Referrer-Policy")!] == "no-referrer")
                #expect(response.headers[.contentSecurityPolicy]?.contains("frame-ancestors 'none'") == true)
            }
            let json = try await client.execute(uri: "/v1/entries", method: .get, headers: bearer("wrong", json: false))
            #expect(json.status == .unauthorized && json.headers[HTTPField.Name("X-Content-Type-Options")!] == "nosniff")
            #expect(json.headers[.cacheControl] == "no-store")
        }
    }
}
