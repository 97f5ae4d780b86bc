import Crypto
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

/// The example config with a check-in service, chat ids for alice and bob, and bob as an admin.
struct ServiceFixture {
    static let slackSecret = "8f742231b10e8888abcd99yyyzzz85a5"
    static let mattermostToken = "mm-command-token-4f1c"
    /// The Discord application's signing key, as bytes (the key type is not Sendable).
    static let discordKeyBytes = Curve25519.Signing.PrivateKey().rawRepresentation
    static var discordKey: Curve25519.Signing.PrivateKey { try! .init(rawRepresentation: discordKeyBytes) }

    let app: AppContext
    let log: MemoryLog
    let server: CheckInServer
    let heartbeat: Heartbeat?

    init(rate: Int = 1000, heartbeat: Heartbeat? = nil, store: ((SQLiteStore) -> any Storage)? = nil, extraHTTP: String = "") throws {
        let publicKey = ServiceFixture.discordKey.publicKey.rawRepresentation.map { String(format: "%02x", $0) }.joined()
        var text = exampleConfig(
            replacing: "unix_user = \"alice\"", with: "unix_user = \"alice\"\nslack = \"U0ALICE\"\nmattermost = \"mm-alice\"\ndiscord = \"80351110224678912\"")
        text = text.replacingOccurrences(of: "unix_user = \"bob\"", with: "unix_user = \"bob\"\nslack = \"U0BOB\"")
        text = text.replacingOccurrences(of: "[narrate]\n", with: "[narrate]\nadmins = [\"bob\"]\n")
        text += """

            [http]
            listen = "127.0.0.1:0"
            public_url = "https://narrate.example.org"
            slack_signing_secret_env = "SLACK_SIGNING"
            mattermost_token_file = "mattermost-token"
            discord_public_key = "\(publicKey)"
            \(extraHTTP)
            """
        let credentials = temporaryDirectory("credentials")
        write(Self.mattermostToken, to: credentials + "/mattermost-token")
        var (app, log) = try exampleContext(
            config: text, environment: ["SLACK_SIGNING": Self.slackSecret, "CREDENTIALS_DIRECTORY": credentials])
        if let store, let sqlite = app.store as? SQLiteStore {
            app = AppContext(
                config: app.config, store: store(sqlite), stateDir: app.stateDir, logger: app.logger, clock: app.clock,
                secrets: app.secrets, transport: app.transport, renderer: app.renderer, output: app.output)
        }
        self.app = app
        self.log = log
        self.heartbeat = heartbeat
        let context = app
        server = CheckInServer(current: { context }, rate: rate, heartbeat: heartbeat)
    }

    var application: some ApplicationProtocol {
        get throws { Application(router: try server.router(), configuration: .init(address: .hostname("127.0.0.1", port: 0))) }
    }

    func person(_ id: String) -> Person { app.config.person(id)! }

    /// Runs `body` against the server, in process (`.router`) or over loopback TCP (`.live`).
    func test(_ transport: Transport, _ body: @Sendable @escaping (any TestClientProtocol) async throws -> Void) async throws {
        try await application.test(transport.setup) { client in try await body(client) }
    }

    enum Transport: String, CaseIterable, CustomTestStringConvertible, Sendable {
        case router, live
        var setup: TestingSetup { self == .router ? .router : .live }
        var testDescription: String { rawValue }
    }

    func entryCount() async throws -> Int { try await app.store.entryCount() }
}

extension ByteBuffer {
    var text: String { String(buffer: self) }
    var json: [String: Any] { (try? JSONSerialization.jsonObject(with: Data(readableBytesView))) as? [String: Any] ?? [:] }
}

/// A JSON request body.
func jsonBody(_ object: Any) -> ByteBuffer {
    ByteBuffer(bytes: try! JSONSerialization.data(withJSONObject: object))
}

func bearer(_ token: String, json: Bool = true) -> HTTPFields {
    var fields: HTTPFields = [.authorization: "Bearer \(token)"]
    if json { fields[.contentType] = "application/json" }
    return fields
}

/// The `error` object of a problem response.
func problem(_ response: TestResponse) -> [String: Any] { response.body.json["error"] as? [String: Any] ?? [:] }

/// Slack's v0 signature headers for `body` at `timestamp`.
func slackHeaders(_ body: String, secret: String = ServiceFixture.slackSecret, timestamp: Date = Date()) -> HTTPFields {
    let stamp = String(Int(timestamp.timeIntervalSince1970))
    let mac = HMAC<SHA256>.authenticationCode(for: Array("v0:\(stamp):\(body)".utf8), using: SymmetricKey(data: Array(secret.utf8)))
    return [
        .contentType: "application/x-www-form-urlencoded",
        HTTPField.Name("X-Slack-Request-Timestamp")!: stamp,
        HTTPField.Name("X-Slack-Signature")!: "v0=" + mac.map { String(format: "%02x", $0) }.joined(),
    ]
}

func discordHeaders(_ body: String, key: Curve25519.Signing.PrivateKey = ServiceFixture.discordKey) throws -> HTTPFields {
    let stamp = String(Int(Date().timeIntervalSince1970))
    let signature = try key.signature(for: Array((stamp + body).utf8))
    return [
        .contentType: "application/json",
        HTTPField.Name("X-Signature-Timestamp")!: stamp,
        HTTPField.Name("X-Signature-Ed25519")!: signature.map { String(format: "%02x", $0) }.joined(),
    ]
}

func formEncoded(_ fields: [(String, String)]) -> String {
    var allowed = CharacterSet.alphanumerics
    allowed.insert(charactersIn: "-._~")
    return fields.map { "\($0.0)=\($0.1.addingPercentEncoding(withAllowedCharacters: allowed)!)" }.joined(separator: "&")
}
