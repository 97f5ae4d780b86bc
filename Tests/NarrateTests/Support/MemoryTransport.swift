import Foundation
import Synchronization
import Testing
@testable import NarrateModel
@testable import NarrateTOML
@testable import NarrateConfig
@testable import NarrateReport
@testable import NarrateTargets
@testable import NarratePlatform
@testable import NarrateDelivery

/// A chat peer the courier reaches without a network: an in-memory ``HTTPTransport`` that
/// records every request and answers like the platforms do, or as a plan says. It takes the
/// same plans as the loopback receiver (`status`, `body`, `content_type`, `retry_after`,
/// `close`, `hang`, `{echo}`), so one test runs against either.
final class MemoryTransport: HTTPTransport, ChatPeer {
    private struct State {
        var requests: [Receiver.Request] = []
        var plans: [(prefix: String, actions: [PlanAction])] = []
    }

    /// One planned answer; `Sendable` copy of the plan's dictionary.
    struct PlanAction: Sendable {
        var status = 200
        var body = Data()
        var contentType = "application/json"
        var retryAfter: String?
        var close = false
        var hang: Double?
        var echo = false
    }

    private let state = Mutex(State())

    var base: String { "http://memory.invalid" }
    var transport: any HTTPTransport { self }

    func plan(_ path: String, _ actions: [[String: Any]]) async throws {
        let parsed = actions.map { action -> PlanAction in
            var plan = PlanAction()
            plan.status = action["status"] as? Int ?? 200
            if let text = action["body"] as? String {
                plan.body = Data(text.utf8)
            } else if let object = action["body"] {
                plan.body = (try? JSONSerialization.data(withJSONObject: object)) ?? Data()
            }
            plan.echo = String(decoding: plan.body, as: UTF8.self).contains("{echo}")
            plan.contentType = action["content_type"] as? String ?? "application/json"
            plan.retryAfter = action["retry_after"].map { "\($0)" }
            plan.close = action["close"] as? Bool ?? false
            plan.hang = (action["hang"] as? Double) ?? (action["hang"] as? Int).map(Double.init)
            return plan
        }
        state.withLock { $0.plans.append((path, parsed)) }
    }

    func requests(_ prefix: String = "/") async throws -> [Receiver.Request] {
        state.withLock { $0.requests }.filter { $0.path.hasPrefix(prefix) }
    }

    func send(_ request: HTTPRequest) async throws -> HTTPResponse {
        let url = URLComponents(string: request.url)
        let path = url?.percentEncodedPath ?? request.url
        let headers = Dictionary(request.headers.map { ($0.0.lowercased(), $0.1) }) { $1 }
        let recorded = Receiver.Request(
            method: request.method, path: path, query: url?.percentEncodedQuery ?? "", headers: headers,
            body: String(decoding: request.body, as: UTF8.self), time: Date().timeIntervalSince1970)
        let action = state.withLock { state -> PlanAction? in
            state.requests.append(recorded)
            guard let index = state.plans.firstIndex(where: { path.hasPrefix($0.prefix) && !$0.actions.isEmpty }) else {
                return nil
            }
            return state.plans[index].actions.removeFirst()
        }
        guard let action else {
            // The platforms' success answers, in one body every descriptor accepts.
            let ok = #"{"ok":true,"result":"success","id":"m1","event_id":"$e1","name":"spaces/A/messages/1"}"#
            return HTTPResponse(status: 200, headers: [("content-type", "application/json")], body: Data(ok.utf8))
        }
        if action.close { throw TransportError(message: "Connection closed before the body arrived") }
        if let hang = action.hang {
            try await Task.sleep(nanoseconds: UInt64(min(hang, request.timeout) * 1_000_000_000))
            if hang >= request.timeout {
                throw TransportError(message: "Operation timed out after \(Int(request.timeout * 1000)) milliseconds", isTimeout: true)
            }
        }
        var body = action.body
        if action.echo {
            let credentials = "\(path)?\(recorded.query) \(headers["authorization"] ?? "")"
            body = Data(String(decoding: body, as: UTF8.self).replacingOccurrences(of: "{echo}", with: credentials).utf8)
        }
        var responseHeaders = [("content-type", action.contentType)]
        if let retryAfter = action.retryAfter { responseHeaders.append(("retry-after", retryAfter)) }
        return HTTPResponse(status: action.status, headers: responseHeaders, body: body)
    }
}

/// What courier tests talk to: the loopback receiver (real HTTP over libcurl) or the in-memory transport.
protocol ChatPeer: Sendable {
    var base: String { get }
    var transport: any HTTPTransport { get }
    func plan(_ path: String, _ actions: [[String: Any]]) async throws
    func requests(_ prefix: String) async throws -> [Receiver.Request]
}

extension ChatPeer {
    func requests() async throws -> [Receiver.Request] { try await requests("/") }
}

/// The two transports a courier test runs over.
enum PeerKind: String, CaseIterable, Sendable, CustomTestStringConvertible {
    case memory, live

    func make() async throws -> any ChatPeer {
        switch self {
        case .memory: MemoryTransport()
        case .live: try await Receiver()
        }
    }

    var testDescription: String { rawValue }
}
