import Foundation
import Testing

/// docs/openapi.yaml against the running service (Tests/api/check_openapi.py): a valid OpenAPI
/// 3.1 document whose every operation answers as documented, for good and bad requests.
@Suite struct OpenAPITests {
    /// `narrate serve` with every check-in route set up, and Alice's tokens.
    static func served(_ extra: String = "") async throws -> (CLI, ServeProcess, tokens: [String: Any]) {
        let http = """

            [http]
            listen = "127.0.0.1:0"
            slack_signing_secret_env = "SLACK_SIGNING"
            mattermost_token_env = "MATTERMOST_TOKEN"
            discord_public_key = "\(String(repeating: "ab", count: 32))"
            \(extra)
            """
        var cli = CLI(config: exampleConfig() + http)
        cli.environment["SLACK_SIGNING"] = "slack-signing-secret"
        cli.environment["MATTERMOST_TOKEN"] = "mattermost-token"
        let created = try await cli.run("token", "create", "alice", "--json")
        let tokens = try #require(try JSONSerialization.jsonObject(with: Data(created.stdout.utf8)) as? [String: Any])
        return await (cli, try ServeProcess(cli), tokens)
    }

    @Test func theDocumentedAPIIsTheOneTheServerSpeaks() async throws {
        let (_, serve, tokens) = try await Self.served()
        defer { serve.stop() }
        let port = try await serve.port()

        let checker = try await ChildProcess.run("/usr/bin/env", [
            "python3", CheckInBrowserTests.root.appendingPathComponent("Tests/api/check_openapi.py").path,
            CheckInBrowserTests.root.appendingPathComponent("docs/openapi.yaml").path, "http://127.0.0.1:\(port)",
            tokens["api_token"] as? String ?? "", tokens["link_token"] as? String ?? "",
        ])
        let (output, errors) = (checker.stdout, checker.stderr)
        #expect(checker.status == 0, "\(output)\n\(errors)")
        #expect(output.contains("\"problems\": []"), "\(output)")
        #expect(!serve.log.contains(tokens["api_token"] as? String ?? "-"), "the service log never holds a token")
    }

    /// Schemathesis generates requests from docs/openapi.yaml, good and bad, against the running
    /// service: no 5xx, every answer in the documented status, type, headers and schema, bad
    /// requests refused, undeclared methods answered 405. A fixed seed and a bounded number of
    /// examples keep it the same run every time.
    @Test func schemathesisFindsNothingOverTheSpec() async throws {
        let (cli, serve, tokens) = try await Self.served("rate = 100000")
        defer { serve.stop() }
        let token = tokens["api_token"] as? String
        let port = try await serve.port()
        let arguments = [
            "python3", "-m", "schemathesis.cli", "run", CheckInBrowserTests.root.appendingPathComponent("docs/openapi.yaml").path,
            "--url", "http://127.0.0.1:\(port)", "-H", "Authorization: Bearer \(token ?? "")", "--max-examples", "25", "--seed", "1",
            "--checks", "not_a_server_error,status_code_conformance,content_type_conformance,response_schema_conformance,"
                + "response_headers_conformance,unsupported_method,negative_data_rejection",
        ]
        // schemathesis writes its report to stdout and its progress to stderr: both are kept.
        let run = try await ChildProcess.run(
            "/usr/bin/env", arguments, environment: ProcessInfo.processInfo.environment.merging(["NO_COLOR": "1"]) { $1 },
            directory: cli.directory)
        let output = run.stdout + run.stderr
        #expect(run.status == 0, "\(output)")
        #expect(output.contains(" passed"), "\(output)")
        #expect(!serve.log.contains(token ?? "-"), "the service log never holds a token")
    }
}
