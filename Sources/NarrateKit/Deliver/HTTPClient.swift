import CCurl
import Foundation
import Synchronization

/// HTTP over libcurl's multi interface: one thread runs every transfer, callers `await`.
///
/// This is the only file that touches curl handles. Each request has a connect and a total
/// timeout, TLS verification stays on (`caFile` adds a private CA), proxies come from the
/// environment (`https_proxy`, `no_proxy`), redirects are not followed and a non-2xx status
/// is a response, not an error.
public final class HTTPClient: Sendable {
    public struct Request: Sendable {
        public var method: String
        public var url: String
        public var headers: [(String, String)]
        public var body: Data
        public var timeout: TimeInterval
        public var connectTimeout: TimeInterval
        public var caFile: String?

        public init(
            method: String = "POST", url: String, headers: [(String, String)] = [], body: Data = Data(),
            timeout: TimeInterval = 30, connectTimeout: TimeInterval = 10, caFile: String? = nil
        ) {
            self.method = method
            self.url = url
            self.headers = headers
            self.body = body
            self.timeout = timeout
            self.connectTimeout = connectTimeout
            self.caFile = caFile
        }
    }

    public struct Response: Sendable {
        public var status: Int
        /// Header names in lower case, in the order received.
        public var headers: [(String, String)]
        public var body: Data

        public func header(_ name: String) -> String? {
            let lower = name.lowercased()
            return headers.last { $0.0 == lower }?.1
        }

        public var text: String { String(decoding: body, as: UTF8.self) }
    }

    /// The request did not get a response: no connection, a timeout, a TLS failure.
    public struct TransportError: Error, Sendable, CustomStringConvertible {
        public var message: String
        public var isTimeout: Bool
        public var description: String { message }
    }

    /// The process-wide client; libcurl is initialised once.
    public static let shared = HTTPClient()

    private let worker: Worker

    private init() {
        curl_global_init(Int(CURL_GLOBAL_DEFAULT))
        worker = Worker()
        let worker = self.worker
        let thread = Thread { worker.run() }
        thread.name = "narrate-http"
        thread.start()
    }

    public func send(_ request: Request) async throws -> Response {
        try await withCheckedThrowingContinuation { continuation in
            worker.submit(Transfer(request: request, continuation: continuation))
        }
    }
}

/// One request in flight. Created by the caller, then owned by the worker thread alone
/// (handed over through the worker's mutex), which is why unchecked Sendable is safe here.
private final class Transfer: @unchecked Sendable {
    let request: HTTPClient.Request
    let continuation: CheckedContinuation<HTTPClient.Response, any Error>
    var handle: UnsafeMutableRawPointer?
    var headerList: UnsafeMutablePointer<curl_slist>?
    var body = Data()
    var headers: [(String, String)] = []
    /// curl writes its error text here; it must stay at one address while the handle lives.
    let errorBuffer: UnsafeMutablePointer<CChar>

    init(request: HTTPClient.Request, continuation: CheckedContinuation<HTTPClient.Response, any Error>) {
        self.request = request
        self.continuation = continuation
        errorBuffer = .allocate(capacity: Int(CURL_ERROR_SIZE) + 1)
        errorBuffer.initialize(repeating: 0, count: Int(CURL_ERROR_SIZE) + 1)
    }

    deinit { errorBuffer.deallocate() }
}

/// The curl multi handle and its queue. Only the worker thread calls curl on `multi`, except
/// `curl_multi_wakeup`, which libcurl documents as safe from any thread.
private final class Worker: @unchecked Sendable {
    private let multi: UnsafeMutableRawPointer
    private let pending = Mutex<[Transfer]>([])
    private var active: [UnsafeMutableRawPointer: Transfer] = [:]

    init() {
        multi = curl_multi_init()
    }

    func submit(_ transfer: Transfer) {
        pending.withLock { $0.append(transfer) }
        curl_multi_wakeup(multi)
    }

    func run() {
        var running: Int32 = 0
        while true {
            for transfer in pending.withLock({ queue in defer { queue.removeAll() }; return queue }) {
                start(transfer)
            }
            curl_multi_perform(multi, &running)
            var left: Int32 = 0
            while let message = curl_multi_info_read(multi, &left) {
                guard message.pointee.msg == CURLMSG_DONE, let handle = message.pointee.easy_handle else { continue }
                finish(handle, result: narrate_curl_msg_result(message))
            }
            // Idle, the thread sleeps until `submit` wakes it; busy, curl shortens the wait to its own timers.
            curl_multi_poll(multi, nil, 0, active.isEmpty ? 60_000 : 1_000, nil)
        }
    }

    private func start(_ transfer: Transfer) {
        let request = transfer.request
        guard let handle = curl_easy_init() else {
            transfer.continuation.resume(throwing: HTTPClient.TransportError(message: "cannot create a curl handle", isTimeout: false))
            return
        }
        transfer.handle = handle
        let context = Unmanaged.passUnretained(transfer).toOpaque()
        narrate_curl_setopt_string(handle, CURLOPT_URL, request.url)
        narrate_curl_setopt_string(handle, CURLOPT_PROTOCOLS_STR, "http,https")
        narrate_curl_setopt_long(handle, CURLOPT_NOSIGNAL, 1)
        narrate_curl_setopt_long(handle, CURLOPT_FOLLOWLOCATION, 0)
        narrate_curl_setopt_long(handle, CURLOPT_SSL_VERIFYPEER, 1)
        narrate_curl_setopt_long(handle, CURLOPT_SSL_VERIFYHOST, 2)
        narrate_curl_setopt_long(handle, CURLOPT_TIMEOUT_MS, Int(request.timeout * 1_000))
        narrate_curl_setopt_long(handle, CURLOPT_CONNECTTIMEOUT_MS, Int(request.connectTimeout * 1_000))
        narrate_curl_setopt_string(handle, CURLOPT_USERAGENT, "narrate/\(NarrateVersion.string)")
        if let caFile = request.caFile { narrate_curl_setopt_string(handle, CURLOPT_CAINFO, caFile) }
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
            list = curl_slist_append(list, "\(name): \(value)")
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
            let line = String(decoding: UnsafeRawBufferPointer(start: data, count: length), as: UTF8.self)
            if line.hasPrefix("HTTP/") {
                transfer.headers.removeAll()  // a new response (after 100 Continue) starts over
            } else if let colon = line.firstIndex(of: ":") {
                let name = line[..<colon].trimmingCharacters(in: .whitespaces).lowercased()
                let value = line[line.index(after: colon)...].trimmingCharacters(in: .whitespacesAndNewlines)
                transfer.headers.append((name, value))
            }
            return length
        }
        narrate_curl_setopt_ptr(handle, CURLOPT_HEADERDATA, context)
        active[handle] = transfer
        curl_multi_add_handle(multi, handle)
    }

    private func finish(_ handle: UnsafeMutableRawPointer, result: CURLcode) {
        guard let transfer = active.removeValue(forKey: handle) else { return }
        curl_multi_remove_handle(multi, handle)
        defer {
            curl_easy_cleanup(handle)
            curl_slist_free_all(transfer.headerList)
        }
        guard result == CURLE_OK else {
            let detail = String(cString: transfer.errorBuffer)
            let message = detail.isEmpty ? String(cString: curl_easy_strerror(result)) : detail
            transfer.continuation.resume(
                throwing: HTTPClient.TransportError(message: message, isTimeout: result == CURLE_OPERATION_TIMEDOUT))
            return
        }
        var status = 0
        narrate_curl_getinfo_long(handle, CURLINFO_RESPONSE_CODE, &status)
        transfer.continuation.resume(returning: HTTPClient.Response(status: status, headers: transfer.headers, body: transfer.body))
    }
}
