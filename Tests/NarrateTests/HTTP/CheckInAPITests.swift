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
@testable import NarrateStore

/// The JSON API, in process and over loopback TCP: the happy path, and every refusal with its
/// status, the field it names, and nothing stored.
@Suite struct CheckInAPITests {
    @Test(arguments: ServiceFixture.Transport.allCases)
    func aCheckInThroughTheAPIIsRecordedAsTheTokensPersonAndCanBeChanged(_ transport: ServiceFixture.Transport) async throws {
        let fixture = try ServiceFixture()
        let issued = try await fixture.app.tokens.create(for: fixture.person("alice"))
        #expect(issued.url == "https://narrate.example.org/checkin/\(issued.link)")
        try await fixture.test(transport) { client in
            let created = try await client.execute(
                uri: "/v1/entries", method: .post, headers: bearer(issued.apiToken),
                body: jsonBody(["kind": "blocker", "text": "Waiting on legal", "stage": "middle"]))
            #expect(created.status == .created)
            let entry = created.body.json
            #expect(entry["person"] as? String == "alice")
            #expect(entry["stage"] as? String == "middle")
            let id = try #require(entry["ref"] as? String)

            let listed = try await client.execute(uri: "/v1/entries?since=-1d", method: .get, headers: bearer(issued.apiToken, json: false))
            #expect(listed.status == .ok)
            #expect((listed.body.json["entries"] as? [[String: Any]])?.map { $0["ref"] as? String } == [id])
            #expect((listed.body.json["open"] as? [[String: Any]])?.count == 1)

            let edited = try await client.execute(
                uri: "/v1/entries/\(id)", method: .patch, headers: bearer(issued.apiToken), body: jsonBody(["text": "Waiting on legal review"]))
            #expect(edited.status == .ok)
            #expect(edited.body.json["text"] as? String == "Waiting on legal review")

            let resolved = try await client.execute(
                uri: "/v1/entries/\(id)", method: .patch, headers: bearer(issued.apiToken), body: jsonBody(["state": "resolved", "note": "signed"]))
            #expect(resolved.status == .ok)
            #expect(resolved.body.json["state"] as? String == "resolved")
            // One line of JSON with keys in order, as the service's errors and pages' answers are.
            #expect(!resolved.body.text.contains("\n") && resolved.body.text.hasPrefix(#"{"at":"#), "\(resolved.body.text)")

            let again = try await client.execute(
                uri: "/v1/entries/\(id)", method: .patch, headers: bearer(issued.apiToken), body: jsonBody(["state": "resolved"]))
            #expect(again.status == .conflict)

            let metric = try await client.execute(
                uri: "/v1/metrics", method: .post, headers: bearer(issued.apiToken), body: jsonBody(["kpi": "lead-time", "value": 26.5]))
            #expect(metric.status == .created)
            let mood = try await client.execute(
                uri: "/v1/moods", method: .post, headers: bearer(issued.apiToken), body: jsonBody(["mood": 4, "load": 2]))
            #expect(mood.status == .created)

            let deleted = try await client.execute(uri: "/v1/entries/\(id)", method: .delete, headers: bearer(issued.apiToken, json: false))
            #expect(deleted.status == .ok)
            let undone = try await client.execute(uri: "/v1/undo", method: .post, headers: bearer(issued.apiToken, json: false))
            #expect(undone.status == .ok)
            #expect(undone.body.json["undone"] as? String == "delete")
        }
        let stored = try await fixture.app.store.entries(from: Date().addingTimeInterval(-60), to: Date().addingTimeInterval(60))
        #expect(stored.map(\.person) == ["alice"])
        #expect(stored.first?.state == .resolved)
        #expect(stored.first?.text == "Waiting on legal review")
        await #expect(try fixture.app.store.readings(kpis: ["lead-time"], from: Date().addingTimeInterval(-60), to: Date().addingTimeInterval(60)).map(\.value) == [26.5])
        await #expect(try fixture.app.store.moods(from: Date().addingTimeInterval(-60), to: Date().addingTimeInterval(60)).map(\.mood) == [4])
    }

    struct Refusal: Sendable, CustomTestStringConvertible {
        var name: String
        var status: HTTPResponse.Status
        var field: String?
        var method: HTTPRequest.Method = .post
        var path = "/v1/entries"
        var headers: @Sendable (String) -> HTTPFields = { bearer($0) }
        var body: String? = #"{"kind":"progress","text":"x"}"#
        var testDescription: String { name }
    }

    static let refusals: [Refusal] = [
        Refusal(name: "no token", status: .unauthorized, field: "Authorization", headers: { _ in [.contentType: "application/json"] }),
        Refusal(name: "unknown token", status: .unauthorized, field: "Authorization", headers: { _ in bearer("nra_not-a-token") }),
        Refusal(name: "link token used as API token", status: .unauthorized, field: "Authorization", headers: { _ in bearer("LINK") }),
        Refusal(name: "not JSON", status: .badRequest, field: "body", body: "kind=progress"),
        Refusal(name: "wrong content type", status: .badRequest, field: "Content-Type", headers: { [.authorization: "Bearer \($0)", .contentType: "text/plain"] }),
        Refusal(name: "a JSON array", status: .badRequest, field: "body", body: "[1]"),
        Refusal(name: "unknown field", status: .badRequest, field: "txt", body: #"{"kind":"progress","txt":"x"}"#),
        Refusal(name: "missing text", status: .badRequest, field: "text", body: #"{"kind":"progress"}"#),
        Refusal(name: "a field unlike any", status: .badRequest, field: "colour", body: #"{"kind":"progress","text":"x","colour":"red"}"#),
        Refusal(name: "a null time", status: .badRequest, field: "at", body: #"{"kind":"progress","text":"x","at":null}"#),
        Refusal(name: "broken JSON", status: .badRequest, field: "body", body: #"{"kind":"progress","#),
        Refusal(name: "no body", status: .badRequest, field: "body", method: .patch, path: "/v1/entries/BOBS", body: nil),
        Refusal(name: "mood with a fraction", status: .badRequest, field: "mood", path: "/v1/moods", body: #"{"mood":4.5}"#),
        Refusal(name: "load out of scale", status: .badRequest, field: "load", path: "/v1/moods", body: #"{"mood":4,"load":0}"#),
        Refusal(name: "an absence id that is no number", status: .badRequest, field: "id", method: .delete, path: "/v1/absences/abc", body: nil),
        Refusal(name: "days away the wrong way round", status: .badRequest, field: "from", path: "/v1/absences", body: #"{"from":"2031-03-06","to":"2031-03-02"}"#),
        Refusal(name: "text is a number", status: .badRequest, field: "text", body: #"{"kind":"progress","text":5}"#),
        Refusal(name: "blank text", status: .badRequest, field: "text", body: #"{"kind":"progress","text":"   "}"#),
        Refusal(name: "unknown kind", status: .badRequest, field: "kind", body: #"{"kind":"rant","text":"x"}"#),
        Refusal(name: "stage on progress", status: .badRequest, field: "stage", body: #"{"kind":"progress","text":"x","stage":"front"}"#),
        Refusal(name: "unknown KPI", status: .badRequest, field: "kpi", body: #"{"kind":"progress","text":"x","kpi":"nope"}"#),
        Refusal(name: "future time", status: .badRequest, field: "at", body: #"{"kind":"progress","text":"x","at":"2199-01-01T00:00+00:00"}"#),
        Refusal(name: "garbled time", status: .badRequest, field: "at", body: #"{"kind":"progress","text":"x","at":"someday"}"#),
        Refusal(name: "body too large", status: .contentTooLarge, field: nil, body: #"{"kind":"progress","text":""# + String(repeating: "a", count: 70_000) + #""}"#),
        Refusal(name: "metric that is not a number", status: .badRequest, field: "value", path: "/v1/metrics", body: #"{"kpi":"lead-time","value":"12"}"#),
        Refusal(name: "metric that is a boolean", status: .badRequest, field: "value", path: "/v1/metrics", body: #"{"kpi":"lead-time","value":true}"#),
        Refusal(name: "metric out of range", status: .badRequest, field: "value", path: "/v1/metrics", body: #"{"kpi":"lead-time","value":1e300}"#),
        Refusal(name: "mood out of scale", status: .badRequest, field: "mood", path: "/v1/moods", body: #"{"mood":6}"#),
        Refusal(name: "someone else's entry", status: .forbidden, field: nil, method: .patch, path: "/v1/entries/BOBS", body: #"{"text":"mine now"}"#),
        Refusal(name: "no such entry", status: .notFound, field: nil, method: .delete, path: "/v1/entries/P-999", body: nil),
        Refusal(name: "a malformed id", status: .badRequest, field: "id", method: .delete, path: "/v1/entries/X-1", body: nil),
        Refusal(name: "edit and close at once", status: .badRequest, field: "text", method: .patch, path: "/v1/entries/BOBS", body: #"{}"#),
        Refusal(name: "a note with an edit", status: .badRequest, field: "note", method: .patch, path: "/v1/entries/BOBS", body: #"{"text":"x","note":"why"}"#),
    ]

    @Test(arguments: ServiceFixture.Transport.allCases, refusals)
    func aBadRequestIsRefusedWithItsStatusAndFieldAndNothingIsStored(_ transport: ServiceFixture.Transport, _ refusal: Refusal) async throws {
        let fixture = try ServiceFixture()
        let issued = try await fixture.app.tokens.create(for: fixture.person("alice"))
        let bobs = try await fixture.app.checkIns.log(.progress, text: "bob's own", by: fixture.person("bob"))
        let before = try await fixture.entryCount()
        let readings = try await fixture.app.store.metricCount()
        try await fixture.test(transport) { client in
            var headers = refusal.headers(issued.apiToken)
            if headers[.authorization] == "Bearer LINK" { headers[.authorization] = "Bearer \(issued.link)" }
            let response = try await client.execute(
                uri: refusal.path.replacingOccurrences(of: "BOBS", with: bobs.displayID), method: refusal.method, headers: headers,
                body: refusal.body.map { ByteBuffer(string: $0) })
            #expect(response.status == refusal.status, "\(response.body.text)")
            #expect(response.headers[.contentType]?.hasPrefix("application/json") == true)
            #expect(problem(response)["field"] as? String == refusal.field)
            #expect((problem(response)["message"] as? String)?.isEmpty == false)
            #expect(!response.body.text.contains(issued.apiToken))
        }
        await #expect(try fixture.entryCount() == before)
        await #expect(try fixture.app.store.metricCount() == readings)
        await #expect(try fixture.app.store.entry(bobs.id)?.text == "bob's own")
    }

    @Test func aRevokedOrExpiredTokenIsRefusedAndTheStoreKeepsOnlyHashes() async throws {
        let fixture = try ServiceFixture()
        let revoked = try await fixture.app.tokens.create(for: fixture.person("alice"))
        await #expect(try fixture.app.tokens.revoke(of: fixture.person("alice")) == 2)
        let expired = AccessToken.generate(.api)
        try await fixture.app.store.add(AccessToken(
            person: "alice", scope: .api, hash: AccessToken.hash(of: expired), createdAt: Date().addingTimeInterval(-7200),
            expiresAt: Date().addingTimeInterval(-1)))
        let valid = try await fixture.app.tokens.create(for: fixture.person("alice"))
        try await fixture.test(.router) { client in
            for token in [revoked.apiToken, expired] {
                let response = try await client.execute(uri: "/v1/entries", method: .get, headers: bearer(token, json: false))
                #expect(response.status == .unauthorized)
                #expect(response.headers[.wwwAuthenticate]?.hasPrefix("Bearer") == true)
            }
            #expect(try await client.execute(uri: "/v1/entries", method: .get, headers: bearer(valid.apiToken, json: false)).status == .ok)
        }
        // The store file holds hashes, never a token's text.
        let bytes = try Data(contentsOf: URL(fileURLWithPath: fixture.app.stateDir + "/narrate.sqlite"))
            + ((try? Data(contentsOf: URL(fileURLWithPath: fixture.app.stateDir + "/narrate.sqlite-wal"))) ?? Data())
        for token in [revoked.apiToken, revoked.link, valid.apiToken, valid.link] {
            #expect(bytes.range(of: Data(token.utf8)) == nil)
            #expect(bytes.range(of: Data(AccessToken.hash(of: token).utf8)) != nil)
        }
    }

    @Test func tooManyRequestsAreRefusedWithRetryAfter() async throws {
        let fixture = try ServiceFixture(rate: 3)
        let issued = try await fixture.app.tokens.create(for: fixture.person("alice"))
        try await fixture.test(.live) { client in
            var statuses: [HTTPResponse.Status] = []
            var retryAfter: String?
            for _ in 0..<5 {
                let response = try await client.execute(uri: "/v1/entries", method: .get, headers: bearer(issued.apiToken, json: false))
                statuses.append(response.status)
                retryAfter = response.headers[.retryAfter] ?? retryAfter
            }
            #expect(statuses == [.ok, .ok, .ok, .tooManyRequests, .tooManyRequests])
            #expect(retryAfter.flatMap(Int.init).map { (1...60).contains($0) } == true)
        }
    }
}
