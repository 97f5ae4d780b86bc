import CCurl
import Foundation
import NarrateModel
import NarratePlatform
import NarrateTargets
import ServiceLifecycle
import Synchronization

/// HTTP over libcurl's multi interface: one thread runs every transfer, callers `await`.
///
/// This is the only file that touches curl handles. Each request has a connect and a total
/// timeout, TLS verification stays on (`caFile` adds a private CA), proxies come from the
/// environment (`https_proxy`, `no_proxy`), redirects are not followed and a non-2xx status
/// is a response, not an error.
///
/// It is a `Service`: ``run()`` owns the transfer thread until the task is cancelled or the
/// service group shuts down; a cancelled `send` removes its transfer at once. Outside a service
/// group, ``withRunning(_:)`` runs it around a piece of work.
public final class CurlTransport: HTTPTransport, Service {
    private static let globalInit: Void = { narrate_curl_global_init(Int(CURL_GLOBAL_DEFAULT)) }()

    /// Why libcurl cannot be used (it is loaded when the first transport is made), or nil.
    static var loadProblem: String? { narrate_curl_load().map { String(cString: $0) } }

    /// The error of a transport without libcurl: narrate's install is incomplete, nothing was sent.
    static func unavailable(_ problem: String) -> NarrateError {
        NarrateError(.unavailable, "libcurl cannot be loaded (\(problem)); install libcurl4 (Debian: apt install libcurl4)")
    }
    private let worker: Worker

    public init() {
        _ = Self.globalInit
        worker = Worker()
    }

    /// Runs the transfer thread until cancelled or shut down; transfers still in flight then fail
    /// with `CancellationError`.
    public func run() async throws {
        if let problem = Self.loadProblem { throw Self.unavailable(problem) }
        let worker = self.worker
        await withGracefulShutdownHandler {
            await withTaskCancellationHandler {
                await Blocking.run(name: "narrate-http") { worker.loop(onExit: {}) }
            } onCancel: {
                worker.stop()
            }
        } onGracefulShutdown: {
            worker.stop()
        }
    }

    /// Runs a transport for the duration of `body` (the CLI's commands, tests).
    public static func withRunning<T: Sendable>(_ body: (CurlTransport) async throws -> T) async throws -> T {
        let transport = CurlTransport()
        if let problem = loadProblem { throw unavailable(problem) }
        return try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await transport.run() }
            defer { group.cancelAll() }
            return try await body(transport)
        }
    }

    public func send(_ request: HTTPRequest) async throws -> HTTPResponse {
        if let problem = Self.loadProblem { throw TransportError(message: Self.unavailable(problem).message) }
        let id = worker.nextID()
        return try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { continuation in
                worker.submit(Transfer(id: id, request: request, continuation: continuation))
            }
        } onCancel: {
            worker.cancel(id)
        }
    }
}

/// One request in flight. Created by the caller, then owned by the worker thread alone
/// (handed over through the worker's mutex), which is why unchecked Sendable is safe here.
private final class Transfer: @unchecked Sendable {
    let id: UInt64
    let request: HTTPRequest
    let continuation: CheckedContinuation<HTTPResponse, any Error>
    var handle: UnsafeMutableRawPointer?
    var headerList: UnsafeMutablePointer<curl_slist>?
    /// SMTP: the recipients' list, and how much of the message curl has read.
    var recipientList: UnsafeMutablePointer<curl_slist>?
    var uploaded = 0
    var body = Data()
    var headers: [(String, String)] = []
    /// curl writes its error text here; it must stay at one address while the handle lives.
    let errorBuffer: UnsafeMutablePointer<CChar>

    init(id: UInt64, request: HTTPRequest, continuation: CheckedContinuation<HTTPResponse, any Error>) {
        self.id = id
        self.request = request
        self.continuation = continuation
        errorBuffer = .allocate(capacity: Int(CURL_ERROR_SIZE) + 1)
        errorBuffer.initialize(repeating: 0, count: Int(CURL_ERROR_SIZE) + 1)
    }

    deinit { errorBuffer.deallocate() }
}

/// The curl multi handle and its queues. Only the worker thread calls curl on `multi`, except
/// `curl_multi_wakeup`, which libcurl documents as safe from any thread. Everything other
/// threads touch (`inbox`) is behind a mutex; `active` belongs to the worker thread alone,
/// which is why unchecked Sendable is safe here.
private final class Worker: @unchecked Sendable {
    private struct Inbox {
        var submitted: [Transfer] = []
        /// Ids whose callers cancelled; an id may arrive before its transfer does.
        var cancelled: Set<UInt64> = []
        var stopping = false
        var stopped = false
        var lastID: UInt64 = 0
    }

    /// Nil only without libcurl, when the worker never runs (CurlTransport checks first).
    private let multi: UnsafeMutableRawPointer?
    private let inbox = Mutex(Inbox())
    private var active: [UnsafeMutableRawPointer: Transfer] = [:]
    /// Easy handles of finished transfers, reset for the next: making and freeing one per request
    /// was a third of this thread's own work. Used only by the worker's thread.
    private var spare: [UnsafeMutableRawPointer] = []
    private static let maximumSpare = 64

    init() {
        multi = narrate_curl_multi_init()
    }

    deinit { narrate_curl_multi_cleanup(multi) }

    func nextID() -> UInt64 {
        inbox.withLock { state in
            state.lastID += 1
            return state.lastID
        }
    }

    func submit(_ transfer: Transfer) {
        let refused = inbox.withLock { state -> Bool in
            if state.stopped || state.cancelled.remove(transfer.id) != nil { return true }
            state.submitted.append(transfer)
            return false
        }
        if refused {
            transfer.continuation.resume(throwing: CancellationError())
        } else {
            narrate_curl_multi_wakeup(multi)
        }
    }

    func cancel(_ id: UInt64) {
        inbox.withLock { _ = $0.cancelled.insert(id) }
        narrate_curl_multi_wakeup(multi)
    }

    func stop() {
        inbox.withLock { $0.stopping = true }
        narrate_curl_multi_wakeup(multi)
    }

    /// The transfer thread's loop: start what was submitted, drop what was cancelled, let curl
    /// work, and sleep in `curl_multi_poll` until there is something to do.
    func loop(onExit: () -> Void) {
        var running: Int32 = 0
        while true {
            let (submitted, cancelled, stopping) = inbox.withLock { state in
                defer { state.submitted.removeAll() }
                return (state.submitted, state.cancelled, state.stopping)
            }
            var handled: Set<UInt64> = []
            for transfer in submitted {
                if cancelled.contains(transfer.id) {
                    handled.insert(transfer.id)
                    transfer.continuation.resume(throwing: CancellationError())
                } else {
                    start(transfer)
                }
            }
            for (handle, transfer) in active.filter({ cancelled.contains($0.value.id) }) {
                handled.insert(transfer.id)
                abandon(handle, with: CancellationError())
            }
            if !handled.isEmpty { inbox.withLock { $0.cancelled.subtract(handled) } }
            if stopping { break }
            narrate_curl_multi_perform(multi, &running)
            var left: Int32 = 0
            while let message = narrate_curl_multi_info_read(multi, &left) {
                guard message.pointee.msg == CURLMSG_DONE, let handle = message.pointee.easy_handle else { continue }
                finish(handle, result: narrate_curl_msg_result(message))
            }
            // Idle, the thread sleeps until `submit`, `cancel` or `stop` wakes it; busy, curl
            // shortens the wait to its own timers.
            narrate_curl_multi_poll(multi, nil, 0, active.isEmpty ? 86_400_000 : 1_000, nil)
        }
        let late = inbox.withLock { state in
            state.stopped = true
            defer { state.submitted.removeAll() }
            return state.submitted
        }
        for transfer in late { transfer.continuation.resume(throwing: CancellationError()) }
        for handle in Array(active.keys) { abandon(handle, with: CancellationError()) }
        for handle in spare { narrate_curl_easy_cleanup(handle) }
        spare.removeAll()
        onExit()
    }

    /// Removes a transfer that will not finish and tells its caller why.
    private func abandon(_ handle: UnsafeMutableRawPointer, with error: any Error) {
        guard let transfer = active.removeValue(forKey: handle) else { return }
        // The connection is mid-request: it must be closed, not handed to the next request
        // (which would read the abandoned request's late answer, or an empty reply).
        narrate_curl_setopt_long(handle, CURLOPT_FORBID_REUSE, 1)
        narrate_curl_multi_remove_handle(multi, handle)
        narrate_curl_easy_cleanup(handle)
        narrate_curl_slist_free_all(transfer.headerList)
        narrate_curl_slist_free_all(transfer.recipientList)
        transfer.continuation.resume(throwing: error)
    }

    private func start(_ transfer: Transfer) {
        let request = transfer.request
        guard let handle = spare.popLast() ?? narrate_curl_easy_init() else {
            transfer.continuation.resume(throwing: TransportError(message: "cannot create a curl handle"))
            return
        }
        transfer.handle = handle
        let context = Unmanaged.passUnretained(transfer).toOpaque()
        narrate_curl_setopt_string(handle, CURLOPT_URL, request.url)
        if let smtp = request.smtp {
            startMail(transfer, handle: handle, envelope: smtp, context: context)
            return
        }
        narrate_curl_setopt_string(handle, CURLOPT_PROTOCOLS_STR, "http,https")
        narrate_curl_setopt_long(handle, CURLOPT_NOSIGNAL, 1)
        narrate_curl_setopt_long(handle, CURLOPT_FOLLOWLOCATION, 0)
        narrate_curl_setopt_long(handle, CURLOPT_SSL_VERIFYPEER, 1)
        narrate_curl_setopt_long(handle, CURLOPT_SSL_VERIFYHOST, 2)
        narrate_curl_setopt_long(handle, CURLOPT_TIMEOUT_MS, Int(request.timeout * 1_000))
        narrate_curl_setopt_long(handle, CURLOPT_CONNECTTIMEOUT_MS, Int(request.connectTimeout * 1_000))
        narrate_curl_setopt_string(handle, CURLOPT_USERAGENT, "narrate/\(NarrateVersion.string)")
        if let caFile = request.caFile { narrate_curl_setopt_string(handle, CURLOPT_CAINFO, caFile) }
        if let socket = request.unixSocket { narrate_curl_setopt_string(handle, CURLOPT_UNIX_SOCKET_PATH, socket) }
        narrate_curl_setopt_ptr(handle, CURLOPT_ERRORBUFFER, transfer.errorBuffer)
        switch request.method {
        case "GET":
            narrate_curl_setopt_long(handle, CURLOPT_HTTPGET, 1)
        default:
            narrate_curl_setopt_string(handle, CURLOPT_CUSTOMREQUEST, request.method)
            narrate_curl_setopt_off(handle, CURLOPT_POSTFIELDSIZE_LARGE, curl_off_t(request.body.count))
            // COPYPOSTFIELDS copies the bytes, so the Data need not outlive this call.
            request.body.withUnsafeBytes { _ = narrate_curl_setopt_ptr(handle, CURLOPT_COPYPOSTFIELDS, $0.baseAddress ?? UnsafeRawPointer(bitPattern: 1)) }
        }
        var list: UnsafeMutablePointer<curl_slist>?
        // An empty Expect header stops curl from waiting for `100 Continue` on large bodies.
        for (name, value) in request.headers + [("Expect", "")] {
            list = narrate_curl_slist_append(list, "\(name): \(value)")
        }
        transfer.headerList = list
        narrate_curl_setopt_slist(handle, CURLOPT_HTTPHEADER, list)
        narrate_curl_setopt_write(handle, CURLOPT_WRITEFUNCTION) { data, size, count, context in
            let transfer = Unmanaged<Transfer>.fromOpaque(context!).takeUnretainedValue()
            let length = size * count
            if let data { transfer.body.append(UnsafeRawPointer(data).assumingMemoryBound(to: UInt8.self), count: length) }
            return length
        }
        narrate_curl_setopt_ptr(handle, CURLOPT_WRITEDATA, context)
        narrate_curl_setopt_write(handle, CURLOPT_HEADERFUNCTION) { data, size, count, context in
            let transfer = Unmanaged<Transfer>.fromOpaque(context!).takeUnretainedValue()
            let length = size * count
            guard let data else { return length }
            let line = UnsafeRawBufferPointer(start: data, count: length)
            if line.starts(with: "HTTP/".utf8) {
                transfer.headers.removeAll()  // a new response (after 100 Continue) starts over
            } else if let field = HeaderField(line) {
                transfer.headers.append((field.name, field.value))
            }
            return length
        }
        narrate_curl_setopt_ptr(handle, CURLOPT_HEADERDATA, context)
        active[handle] = transfer
        narrate_curl_multi_add_handle(multi, handle)
    }

    /// An SMTP transfer: the envelope, the login, TLS (implicit for smtps://, STARTTLS required
    /// for smtp:// unless the target allows a loopback relay without it), the message uploaded
    /// from the request body.
    private func startMail(_ transfer: Transfer, handle: UnsafeMutableRawPointer, envelope: SMTPEnvelope, context: UnsafeMutableRawPointer) {
        let request = transfer.request
        narrate_curl_setopt_string(handle, CURLOPT_PROTOCOLS_STR, "smtp,smtps")
        narrate_curl_setopt_long(handle, CURLOPT_NOSIGNAL, 1)
        narrate_curl_setopt_long(handle, CURLOPT_SSL_VERIFYPEER, 1)
        narrate_curl_setopt_long(handle, CURLOPT_SSL_VERIFYHOST, 2)
        narrate_curl_setopt_long(handle, CURLOPT_USE_SSL, Int(envelope.requireTLS ? CURLUSESSL_ALL.rawValue : CURLUSESSL_NONE.rawValue))
        narrate_curl_setopt_long(handle, CURLOPT_TIMEOUT_MS, Int(request.timeout * 1_000))
        narrate_curl_setopt_long(handle, CURLOPT_CONNECTTIMEOUT_MS, Int(request.connectTimeout * 1_000))
        if let caFile = request.caFile { narrate_curl_setopt_string(handle, CURLOPT_CAINFO, caFile) }
        narrate_curl_setopt_ptr(handle, CURLOPT_ERRORBUFFER, transfer.errorBuffer)
        narrate_curl_setopt_string(handle, CURLOPT_MAIL_FROM, "<\(envelope.from)>")
        var recipients: UnsafeMutablePointer<curl_slist>?
        for recipient in envelope.recipients { recipients = narrate_curl_slist_append(recipients, "<\(recipient)>") }
        transfer.recipientList = recipients
        narrate_curl_setopt_slist(handle, CURLOPT_MAIL_RCPT, recipients)
        if let username = envelope.username { narrate_curl_setopt_string(handle, CURLOPT_USERNAME, username) }
        if let password = envelope.password { narrate_curl_setopt_string(handle, CURLOPT_PASSWORD, password) }
        narrate_curl_setopt_long(handle, CURLOPT_UPLOAD, 1)
        narrate_curl_setopt_off(handle, CURLOPT_INFILESIZE_LARGE, curl_off_t(request.body.count))
        // The read callback has the write callback's C signature.
        narrate_curl_setopt_write(handle, CURLOPT_READFUNCTION) { buffer, size, count, context in
            let transfer = Unmanaged<Transfer>.fromOpaque(context!).takeUnretainedValue()
            let body = transfer.request.body
            let length = min(size * count, body.count - transfer.uploaded)
            guard length > 0, let buffer else { return 0 }
            body.withUnsafeBytes { bytes in
                UnsafeMutableRawPointer(buffer).copyMemory(from: bytes.baseAddress! + transfer.uploaded, byteCount: length)
            }
            transfer.uploaded += length
            return length
        }
        narrate_curl_setopt_ptr(handle, CURLOPT_READDATA, context)
        // libcurl hands the server's replies to the header callback: the last one is the
        // server's own words when it refuses.
        narrate_curl_setopt_write(handle, CURLOPT_HEADERFUNCTION) { data, size, count, context in
            let transfer = Unmanaged<Transfer>.fromOpaque(context!).takeUnretainedValue()
            let length = size * count
            guard let data else { return length }
            let line = String(decoding: UnsafeRawBufferPointer(start: data, count: length), as: UTF8.self)
            if line.first == "4" || line.first == "5" { transfer.body = Data(line.trimmingCharacters(in: .whitespacesAndNewlines).utf8) }
            return length
        }
        narrate_curl_setopt_ptr(handle, CURLOPT_HEADERDATA, context)
        active[handle] = transfer
        narrate_curl_multi_add_handle(multi, handle)
    }

    private func finish(_ handle: UnsafeMutableRawPointer, result: CURLcode) {
        guard let transfer = active.removeValue(forKey: handle) else { return }
        narrate_curl_multi_remove_handle(multi, handle)
        defer {
            if spare.count < Self.maximumSpare {
                narrate_curl_easy_reset(handle)
                spare.append(handle)
            } else {
                narrate_curl_easy_cleanup(handle)
            }
            narrate_curl_slist_free_all(transfer.headerList)
            narrate_curl_slist_free_all(transfer.recipientList)
        }
        var code = 0
        narrate_curl_getinfo_long(handle, CURLINFO_RESPONSE_CODE, &code)
        // A mail server that refused (a rejected recipient, a failed login) answered with a
        // code: that is its response, for the target to judge, not a network error.
        if transfer.request.smtp != nil, result != CURLE_OK, code >= 400 {
            let detail = transfer.body.isEmpty ? Data(String(cString: transfer.errorBuffer).utf8) : transfer.body
            transfer.continuation.resume(returning: HTTPResponse(status: code, headers: [], body: detail))
            return
        }
        guard result == CURLE_OK else {
            let detail = String(cString: transfer.errorBuffer)
            let message = detail.isEmpty ? String(cString: narrate_curl_easy_strerror(result)) : detail
            // A URL curl cannot use will never work: the caller parks instead of retrying.
            // So will a mail server that cannot do the TLS the target requires, or refuses the login.
            let permanent = [CURLE_URL_MALFORMAT, CURLE_UNSUPPORTED_PROTOCOL, CURLE_USE_SSL_FAILED, CURLE_LOGIN_DENIED].contains(result)
            transfer.continuation.resume(
                throwing: TransportError(message: message, isTimeout: result == CURLE_OPERATION_TIMEDOUT, isPermanent: permanent))
            return
        }
        transfer.continuation.resume(returning: HTTPResponse(status: code, headers: transfer.headers, body: transfer.body))
    }
}
