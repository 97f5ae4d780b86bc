import Crypto
import Foundation
import HTTPTypes
import Hummingbird
import NarrateApp
import NarrateModel
import NarrateReport

extension CheckInServer {
    /// `GET /checkin/{token}`: a person's check-in page; `POST /checkin/{token}`: its forms.
    /// Plain HTML forms (no script), answered with 303 back to the page. A form post must carry
    /// the page's form key, derived from the link's token, and must not come from another site.
    func addCheckInPage(to router: Router<ServerContext>) {
        router.get("checkin/{token}") { request, context in
            let app = await self.current()
            let token = context.parameters.get("token") ?? ""
            do {
                let person = try await self.authenticateLink(token, request, context, app)
                var response = try await self.page(app, person: person, token: token, note: nil, flash: request, status: .ok)
                // Lets the same browser open the team page, from here or from the chat report's link.
                response.headers[values: .setCookie] = ViewCookie.headers(Tokens.viewKey(forLink: token), publicURL: app.config.http?.publicURL)
                return response
            } catch {
                throw self.problem(error, app, format: .html)
            }
        }
        router.post("checkin/{token}") { request, context in
            let app = await self.current()
            let token = context.parameters.get("token") ?? ""
            let person: Person
            do {
                person = try await self.authenticateLink(token, request, context, app)
                try Self.sameSite(request, publicURL: app.config.http?.publicURL)
            } catch {
                throw self.problem(error, app, format: .html)
            }
            do {
                let (fields, _) = try await BodyReader.form(request, limit: app.maxBody, format: .html)
                guard let key = fields["csrf"], RequestSignatures.constantTimeEqual(Array(key.utf8), Array(Self.formKey(token).utf8)) else {
                    throw HTTPProblem(.forbidden, "the form key is missing or wrong; reload the page and send the form again", field: "csrf", format: .html)
                }
                let (ok, reference) = try await self.submit(fields, app: app, person: person)
                ServiceMetrics.checkIn("web")
                var location = "\(token)?ok=\(ok)"
                if let reference { location += "&ref=\(reference)" }
                return Response(status: .seeOther, headers: [.location: location, .cacheControl: "no-store"])
            } catch {
                // The person proved who they are: show the page again, with what went wrong.
                let problem = self.problem(error, app, format: .html)
                guard problem.category != .internal, problem.category != .tooLarge, problem.category != .forbidden || problem.field != "csrf" else { throw problem }
                let field = problem.field.map { " (\($0))" } ?? ""
                return try await self.page(
                    app, person: person, token: token, note: (problem.message + field, true), status: problem.status)
            }
        }
    }

    /// Runs one form: returns the flash key and the entry it was about.
    func submit(_ fields: [String: String], app: AppContext, person: Person) async throws -> (String, String?) {
        let caller = app.config.caller(person)
        func required(_ name: String) throws -> String {
            guard let value = fields[name], !value.trimmingCharacters(in: .whitespaces).isEmpty else {
                throw HTTPProblem(.invalidInput, "\(name) is required", field: name)
            }
            return value
        }
        func reference() throws -> EntryReference {
            do { return try EntryReference(parsing: try required("id")) } catch let problem as HTTPProblem { throw problem } catch {
                throw HTTPProblem(.invalidInput, "\(error)", field: "id")
            }
        }
        switch fields["action"] ?? "" {
        case "log":
            guard let kind = Entry.Kind(rawValue: try required("kind")) else {
                throw HTTPProblem(.invalidInput, "kind is progress, blocker, next, learned, win, helped, ask or decision", field: "kind")
            }
            let text = try APIHandlers.text(try required("text"), field: "text")
            var stage: Entry.Stage?
            if let value = fields["stage"], !value.isEmpty, kind == .blocker {
                guard let parsed = Entry.Stage(rawValue: value) else { throw HTTPProblem(.invalidInput, "stage is front, middle or back", field: "stage") }
                stage = parsed
            }
            let entry = try await app.checkIns.log(kind, text: text, by: person, stage: stage)
            return ("logged", entry.displayID)
        case "close":
            guard let state = Entry.State(rawValue: try required("state")), state != .open else {
                throw HTTPProblem(.invalidInput, "state is resolved, done or dropped", field: "state")
            }
            let entry = try await app.checkIns.close(try reference(), as: state, by: caller)
            return ("closed", entry.displayID)
        case "edit":
            let entry = try await app.checkIns.edit(try reference(), text: try APIHandlers.text(try required("text"), field: "text"), by: caller)
            return ("edited", entry.displayID)
        case "delete":
            let entry = try await app.checkIns.delete(try reference(), by: caller)
            return ("deleted", entry.displayID)
        case "confirm":
            let entry = try await app.checkIns.confirmDraft(try required("id"), text: try APIHandlers.text(try required("text"), field: "text"), by: caller)
            return ("confirmed", entry.displayID)
        case "discard":
            _ = try await app.checkIns.discardDraft(try required("id"), by: caller)
            return ("discarded", nil)
        case "mood":
            guard let mood = Int(try required("mood")), (1...5).contains(mood) else {
                throw HTTPProblem(.invalidInput, "mood is 1 to 5", field: "mood")
            }
            var load: Int?
            if let value = fields["load"], !value.isEmpty {
                guard let parsed = Int(value), (1...5).contains(parsed) else { throw HTTPProblem(.invalidInput, "load is 1 to 5", field: "load") }
                load = parsed
            }
            _ = try await app.checkIns.mood(person, mood: mood, load: load)
            return ("mood", nil)
        case let other:
            throw HTTPProblem(.invalidInput, "unknown action \"\(other)\"", field: "action")
        }
    }

    /// The key every form of a page carries: without the link's token, another site cannot make it.
    static func formKey(_ token: String) -> String {
        let code = HMAC<SHA256>.authenticationCode(for: Array("narrate check-in form".utf8), using: SymmetricKey(data: Array(token.utf8)))
        return Hex.string(code)
    }

    /// Refuses form posts a browser says come from another site.
    static func sameSite(_ request: Request, publicURL: String?) throws {
        if let site = request.headers[.secFetchSite], site == "cross-site" {
            throw HTTPProblem(.forbidden, "form posts from other sites are refused", field: "Sec-Fetch-Site", format: .html)
        }
        // The page's no-referrer policy makes browsers send `Origin: null` on its own posts; the
        // form key and Sec-Fetch-Site stand guard then.
        guard let origin = request.headers[.origin], origin != "null" else { return }
        let host = request.head.authority ?? ""
        let allowed = [publicURL.flatMap(Self.origin), "http://\(host)", "https://\(host)"].compactMap { $0 }
        guard allowed.contains(origin) else {
            throw HTTPProblem(.forbidden, "form posts from \(origin) are refused", field: "Origin", format: .html)
        }
    }

    static func origin(_ url: String) -> String? {
        guard let components = URLComponents(string: url), let scheme = components.scheme, let host = components.host else { return nil }
        return "\(scheme)://\(host)" + (components.port.map { ":\($0)" } ?? "")
    }

    /// The note the page shows after a redirect: only known keys and a well-formed entry id.
    static func flash(_ request: Request, _ text: PageText) -> (String, Bool)? {
        let reference = request.uri.queryParameters["ref"].flatMap { try? EntryReference(parsing: String($0)) }?.description ?? ""
        switch request.uri.queryParameters["ok"].map(String.init) {
        case "logged": return (text.format(.logged, reference), false)
        case "closed": return (text.format(.closed, reference), false)
        case "edited": return (text.format(.edited, reference), false)
        case "deleted": return (text.format(.deleted, reference), false)
        case "mood": return (text(.moodSaved), false)
        case "confirmed": return (text.format(.confirmed, reference), false)
        case "discarded": return (text(.discarded), false)
        default: return nil
        }
    }

    /// The page; `note` is a problem to show, `flash` the redirect whose `?ok=` says what was saved.
    func page(
        _ app: AppContext, person: Person, token: String, note: (String, Bool)?, flash: Request? = nil, status: HTTPResponse.Status
    ) async throws -> Response {
        let summary = try await app.checkIns.summary(of: person)
        let t = PageText(locale: summary.locale)
        let note = note ?? flash.flatMap { Self.flash($0, t) }
        let zone = app.config.zone(of: person)
        func day(_ date: Date) -> String { String(TimeText.short(date, in: zone).prefix(10)) }
        func kindName(_ kind: Entry.Kind) -> String { t(PageText.Key(rawValue: kind.rawValue) ?? .progress) }
        var values: [String: Any] = [
            "t": t.all, "action": token, "csrf": Self.formKey(token), "maxLength": TextRules.maximumLength,
            "hello": t.format(.hello, person.name),
            "period": t.format(.period, day(summary.period.start), day(summary.period.end.addingTimeInterval(-1))),
            "teams": app.config.teams(of: person.id).map { ["id": $0.id, "link": t.format(.teamLink, $0.name)] },
            "kinds": Entry.Kind.allCases.map { ["value": $0.rawValue, "name": kindName($0), "checked": $0 == .progress] },
            "stages": Entry.Stage.allCases.map { ["value": $0.rawValue, "name": t(PageText.Key(rawValue: $0.rawValue) ?? .front)] },
            "hasDrafts": !summary.drafts.isEmpty,
            "drafts": summary.drafts.map {
                ["id": $0.displayID, "kind": kindName($0.entry.kind), "origin": $0.entry.origin ?? "", "text": $0.entry.text]
            },
            // Each open item with the button that closes it as its kind closes.
            "open": summary.open.map { entry -> [String: Any] in
                let close: Entry.State = entry.kind == .blocker ? .resolved : .done
                return ["id": entry.displayID, "text": entry.text, "state": close.rawValue, "closeLabel": t(close == .resolved ? .resolve : .done)]
            },
            "loadLabel": t.format(.loadOptional, t(.load)),
            "entries": summary.entries.reversed().map { entry -> [String: Any] in
                let state = switch entry.state {
                case .resolved: " · ✓ " + t(.resolve)
                case .done: " · ✓ " + t(.done)
                case .dropped: " · " + t(.drop)
                default: ""
                }
                return ["id": entry.displayID, "kind": kindName(entry.kind), "when": TimeText.short(entry.at, in: zone), "state": state, "text": entry.text]
            },
        ]
        if let (message, isError) = note { values["note"] = ["message": message, "isError": isError] }
        let document = PageRenderer.document(
            title: "narrate · \(t(.title))", lang: summary.locale, body: PageRenderer.render("checkin", values))
        return Response(status: status, headers: Self.pageHeaders, body: .init(byteBuffer: ByteBuffer(string: document)))
    }

    /// No caching (the page is personal), no referrer (the token is in the URL), no framing,
    /// no script, forms only to this service.
    static let pageHeaders: HTTPFields = [
        .contentType: "text/html; charset=utf-8", .cacheControl: "no-store", .referrerPolicy: "no-referrer",
        .xFrameOptions: "DENY", .xContentTypeOptions: "nosniff",
        .contentSecurityPolicy: "default-src 'none'; style-src 'unsafe-inline'; img-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'",
    ]
}

extension HTTPField.Name {
    static let referrerPolicy = Self("Referrer-Policy")!
    static let xFrameOptions = Self("X-Frame-Options")!
    static let xContentTypeOptions = Self("X-Content-Type-Options")!
    static let secFetchSite = Self("Sec-Fetch-Site")!
    static let xForwardedFor = Self("X-Forwarded-For")!
}
