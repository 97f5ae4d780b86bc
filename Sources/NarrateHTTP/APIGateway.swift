import Foundation
import Hummingbird
import NIOCore
import NarrateApp
import NarrateModel
import OpenAPIRuntime

/// What every API request passes before and after the handlers generated from
/// docs/openapi.yaml: who is calling (a bearer token over TCP, peer credentials on the local
/// socket), the body within `[http] max_body` (413) and free of `null`s, and every error as a
/// JSON problem that names the field at fault.
struct APIGateway: RouterMiddleware {
    typealias Context = ServerContext
    typealias Identify = @Sendable (Request, ServerContext, AppContext) async throws -> Caller

    let server: CheckInServer
    let channel: String
    let identify: Identify

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        let app = await server.current()
        var object: [String: Any]?
        do {
            var request = request
            let caller: Caller? = request.uri.path == "/healthz" ? nil : try await identify(request, context, app)
            if request.method == .post || request.method == .patch || request.method == .put {
                object = Self.object(try await BodyReader.buffer(&request, limit: app.maxBody), request)
                try Self.refuseNulls(in: object)
            }
            var response = try await APIScope.$current.withValue(APIScope(app: app, caller: caller, channel: channel)) {
                try await next(request, context)
            }
            response.headers[.cacheControl] = "no-store"
            response.headers[.xContentTypeOptions] = "nosniff"
            return response
        } catch let error as ServerError {
            throw HTTPProblem.refusal(error, body: object) ?? server.problem(error.underlyingError, app)
        } catch {
            throw server.problem(error, app)
        }
    }

    /// A JSON body's top-level fields, for the checks below; nil for any other body, which the
    /// generated decoder refuses in its own words.
    static func object(_ body: ByteBuffer, _ request: Request) -> [String: Any]? {
        guard body.readableBytes > 0, request.headers[.contentType]?.lowercased().hasPrefix("application/json") == true else { return nil }
        return (try? JSONSerialization.jsonObject(with: Data(body.readableBytesView))) as? [String: Any]
    }

    /// The generated decoders read a `null` as a field left out; no field of the API takes
    /// `null`, so it is refused by name rather than accepted as what the spec does not allow.
    static func refuseNulls(in object: [String: Any]?) throws {
        guard let object, let key = object.keys.sorted().first(where: { object[$0] is NSNull }) else { return }
        throw HTTPProblem(.invalidInput, "\"\(key)\" is null; leave it out instead", field: key)
    }
}

extension AppContext {
    var maxBody: Int { config.http?.maxBody ?? HTTPSettings().maxBody }
}
