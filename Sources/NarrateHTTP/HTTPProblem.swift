import Foundation
import HTTPTypes
import Hummingbird
import NarrateModel
import NarrateReport

/// An error that knows its response: the status its category calls for, the field it is about,
/// and whether the caller reads JSON (the API, chat platforms) or HTML (the check-in page).
/// The message has been through the redactor before it gets here.
public struct HTTPProblem: HTTPResponseError, CategorizedError, Sendable {
    public enum Format: Sendable { case json, html }

    public var status: HTTPResponse.Status
    public var category: NarrateError.Category
    public var message: String
    public var field: String?
    public var format: Format
    public var headers: HTTPFields

    public init(
        _ category: NarrateError.Category, _ message: String, field: String? = nil, format: Format = .json,
        headers: HTTPFields = [:]
    ) {
        self.category = category
        self.status = HTTPResponse.Status(code: category.httpStatus)
        self.message = message
        self.field = field
        self.format = format
        self.headers = headers
    }

    /// Any error, as a problem: its category decides the status; foreign errors are internal
    /// and say only that.
    public init(_ error: any Error, redactor: Redactor, field: String? = nil, format: Format = .json) {
        if let problem = error as? HTTPProblem {
            self = problem
            self.format = format
            return
        }
        let category = NarrateError.Category(of: error)
        let message = category == .internal && !(error is NarrateError)
            ? "narrate could not handle this request; the service log says why" : redactor.redact("\(error)")
        self.init(category, message, field: field, format: format)
    }

    /// The same problem with another status than its category's (405 for a method).
    public func with(status: HTTPResponse.Status) -> HTTPProblem {
        var problem = self
        problem.status = status
        return problem
    }

    public func response(from request: Request, context: some RequestContext) throws -> Response {
        var headers = self.headers
        // The headers of the pages and the JSON they stand in for: never cached, never sniffed,
        // never framed or sent on as a referrer (a link token may be in the address).
        headers[.cacheControl] = "no-store"
        headers[.xContentTypeOptions] = "nosniff"
        switch format {
        case .json:
            var error: [String: Any] = ["status": Int(status.code), "category": category.rawValue, "message": message]
            if let field { error["field"] = field }
            headers[.contentType] = "application/json; charset=utf-8"
            let body = (try? JSONSerialization.data(withJSONObject: ["error": error], options: [.sortedKeys])) ?? Data()
            return Response(status: status, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: body)))
        case .html:
            for field in CheckInServer.pageHeaders { headers[field.name] = field.value }
            var values: [String: Any] = ["code": Int(status.code), "reason": status.reasonPhrase, "message": message]
            if let field { values["field"] = field }
            let page = PageRenderer.document(title: "narrate: \(status.code)", lang: "en", body: PageRenderer.render("problem", values))
            return Response(status: status, headers: headers, body: .init(byteBuffer: ByteBuffer(string: page)))
        }
    }
}
