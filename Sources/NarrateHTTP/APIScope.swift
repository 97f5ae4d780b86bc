import NarrateApp

/// What the API operation being handled works with: the context of this request (a SIGHUP's
/// new config applies to the next one) and the caller `APIGateway` identified. The generated
/// server calls `APIHandlers` with the decoded input only, so the gateway hands these down as a
/// task-local value, the way swift-openapi-runtime's middleware examples pass an identity.
struct APIScope: Sendable {
    let app: AppContext
    /// Nil for `/healthz`, which needs no identity.
    let caller: Caller?
    /// `api` over TCP, `socket` on the local socket: the `narrate_checkins_total` label and a
    /// reading's origin.
    let channel: String

    @TaskLocal static var current: APIScope?

    /// The scope of the request being handled; only a route registered without `APIGateway`
    /// would find none.
    static func required() throws -> APIScope {
        guard let current else { throw HTTPProblem(.internal, "the API was called outside its gateway") }
        return current
    }

    /// The identified caller; every `/v1` operation has one.
    func identified() throws -> (AppContext, Caller) {
        guard let caller else { throw HTTPProblem(.unauthenticated, "this operation needs a caller") }
        return (app, caller)
    }
}
