import Foundation
import Hummingbird
import HummingbirdCore
import Logging
import NarrateModel
import NarrateReport
import NIOCore
import NIOHTTP1
import NIOPosix
import ServiceLifecycle
import Synchronization

/// Serves a router as Hummingbird's `Application` does, without its date cache: that service
/// formats the `Date` header once a second, which would wake an idle daemon 60 times a minute.
/// Here the header is formatted when a response needs it, at most once a second.
struct RouterService: Service {
    let responder: RouterResponder<ServerContext>
    let server: HTTPServerBuilder
    let address: BindAddress
    let onServerRunning: @Sendable (any NIOCore.Channel) async -> Void
    let logger: Logger

    init(
        router: Router<ServerContext>, server: HTTPServerBuilder, address: BindAddress,
        onServerRunning: @escaping @Sendable (any NIOCore.Channel) async -> Void, logger: Logger
    ) {
        responder = router.buildResponder()
        self.server = server
        self.address = address
        self.onServerRunning = onServerRunning
        self.logger = logger
    }

    /// Thrown when a response cannot be written because the request turned out malformed: the
    /// connection ends rather than carrying a second response.
    struct ResponseAbandoned: Error {}

    func run() async throws {
        let (responder, logger, onServerRunning) = (self.responder, self.logger, self.onServerRunning)
        let service = try server.buildServer(
            configuration: ServerConfiguration(address: address), eventLoopGroup: MultiThreadedEventLoopGroup.singleton,
            logger: logger
        ) { request, writer, channel in
            let context = ServerContext(source: ApplicationRequestContextSource(channel: channel, logger: logger))
            var response: Response
            do {
                response = try await responder.respond(to: request, context: context)
            } catch let error as HTTPParserError {
                throw error
            } catch {
                response = Response(status: .internalServerError)
            }
            response.headers[.date] = DateHeader.now()
            do {
                try await writer.write(response: response.head, body: response.body)
            } catch is HTTPParserError {
                // The parser's error would make a second response; end the connection instead.
                throw ResponseAbandoned()
            }
        } onServerRunning: { channel in
            await onServerRunning(channel)
        }
        try await service.run()
    }
}

/// The `Date` header's text, formatted again only when the second has changed.
enum DateHeader {
    private static let cache = Mutex<(second: Int, text: String)>((-1, ""))

    static func now() -> String {
        var now = timespec()
        clock_gettime(CLOCK_REALTIME, &now)
        let second = now.tv_sec
        return cache.withLock { cached in
            if cached.second != second {
                cached = (second, HTTPDate.string(from: Date(timeIntervalSince1970: TimeInterval(second))))
            }
            return cached.text
        }
    }
}
