import Foundation
import Testing
@testable import NarrateModel
@testable import NarrateTOML
@testable import NarrateConfig
@testable import NarrateReport
@testable import NarrateTargets
@testable import NarratePlatform

/// A distinct secret planted in every target kind, in each platform's real URL shape; the
/// receiver quotes the credentials back in its error bodies; every command runs in every mode
/// (the daemon too). Afterwards no output and no file in the state dir holds any of them.
@Suite struct PlantedSecretsTests {
    /// Every secret contains "Planted"; nothing else narrate prints does.
    static let marker = "planted"

    static func config(_ base: String) -> (text: String, environment: [String: String]) {
        let text = ExampleConfig.text.replacingOccurrences(
            of: #"targets = ["terminal", "archive"]"#,
            with: #"targets = ["archive", "slack", "slack-down", "discord", "mattermost", "teams", "gchat", "telegram", "matrix", "zulip", "ntfy", "hook", "line", "lark", "dingtalk", "wecom"]"#)
            + """

            [[target]]
            id = "slack"
            kind = "slack"
            url_env = "SLACK_URL"
            rate = 50

            [[target]]
            id = "slack-down"
            kind = "slack"
            url = "http://127.0.0.1:1/services/T0001/B0002/PlantedSlackDownSecret"
            timeout = 1
            retries = 2

            [[target]]
            id = "discord"
            kind = "discord"
            url_file = "discord-url"
            rate = 50

            [[target]]
            id = "mattermost"
            kind = "mattermost"
            url_env = "MM_URL"

            [[target]]
            id = "teams"
            kind = "teams"
            url_env = "TEAMS_URL"
            rate = 50

            [[target]]
            id = "gchat"
            kind = "google-chat"
            url_env = "GCHAT_URL"
            rate = 50

            [[target]]
            id = "telegram"
            kind = "telegram"
            api = "\(base)/telegram"
            token_env = "TG_TOKEN"
            chat_id = "-100200"
            rate = 50

            [[target]]
            id = "matrix"
            kind = "matrix"
            homeserver = "\(base)/matrix"
            room = "!room:example.org"
            token_env = "MATRIX_TOKEN"

            [[target]]
            id = "zulip"
            kind = "zulip"
            site = "\(base)/zulip"
            email = "bot@example.org"
            api_key_env = "ZULIP_KEY"
            stream = "platform"
            topic = "weekly"

            [[target]]
            id = "ntfy"
            kind = "ntfy"
            url_env = "NTFY_URL"

            [[target]]
            id = "hook"
            kind = "webhook"
            url_env = "HOOK_URL"
            secret_env = "HOOK_SECRET"

            [[target]]
            id = "line"
            kind = "line"
            api = "\(base)/line"
            token_env = "LINE_TOKEN"
            to = "U0123456789abcdef0123456789abcdef"
            rate = 50

            [[target]]
            id = "lark"
            kind = "lark"
            url_env = "LARK_URL"
            secret_env = "LARK_SECRET"
            rate = 50

            [[target]]
            id = "dingtalk"
            kind = "dingtalk"
            url_env = "DINGTALK_URL"
            secret_env = "DINGTALK_SECRET"
            rate = 50

            [[target]]
            id = "wecom"
            kind = "wecom"
            url_env = "WECOM_URL"
            rate = 50

            """
        let environment = [
            "SLACK_URL": "\(base)/slack/services/T0001/B0002/PlantedSlackSecretX",
            "MM_URL": "\(base)/mattermost/hooks/PlantedMattermostHook",
            "TEAMS_URL": "\(base)/teams/workflows/wf1/triggers/manual/paths/invoke?api-version=2016-06-01&sp=%2Ftriggers%2Fmanual%2Frun&sv=1.0&sig=PlantedTeamsSig",
            "GCHAT_URL": "\(base)/google-chat/v1/spaces/AAAA/messages?key=PlantedGchatKey&token=PlantedGchatToken",
            "TG_TOKEN": "123456:PlantedTelegramToken",
            "MATRIX_TOKEN": "syt_PlantedMatrixToken",
            "ZULIP_KEY": "PlantedZulipKey",
            "NTFY_URL": "\(base)/ntfy/PlantedNtfyTopic",
            "HOOK_URL": "\(base)/webhook/PlantedHookPath?token=PlantedHookToken",
            "HOOK_SECRET": "whsec_" + Data("PlantedHookKey".utf8).base64EncodedString(),
            "LINE_TOKEN": "PlantedLineChannelToken",
            "LARK_URL": "\(base)/lark/open-apis/bot/v2/hook/PlantedLarkHook",
            "LARK_SECRET": "PlantedLarkSigning",
            "DINGTALK_URL": "\(base)/dingtalk/robot/send?access_token=PlantedDingtalkToken",
            "DINGTALK_SECRET": "SECPlantedDingtalkSigning",
            "WECOM_URL": "\(base)/wecom/cgi-bin/webhook/send?key=PlantedWecomKey",
        ]
        return (text, environment)
    }

    /// Each platform answering 401 or 403 with its own error shape, quoting the credentials back;
    /// Slack first answers 500 (so the retry path stores and logs the text too).
    static var echoes: [(String, [[String: Any]])] { [
        ("/slack/", [
            ["status": 500, "body": "server error for {echo}", "content_type": "text/plain"],
            ["status": 403, "body": "invalid_token {echo}", "content_type": "text/plain"],
        ]),
        ("/discord/", [["status": 401, "body": ["message": "Invalid Webhook Token {echo}", "code": 50027]]]),
        ("/mattermost/", [["status": 400, "body": ["message": "Invalid webhook {echo}"]]]),
        ("/teams/", [["status": 401, "body": ["error": ["code": "Unauthorized", "message": "sig {echo} is invalid"]]]]),
        ("/google-chat/", [["status": 403, "body": ["error": ["code": 403, "message": "key {echo}", "status": "PERMISSION_DENIED"]]]]),
        ("/telegram/", [["status": 401, "body": ["ok": false, "error_code": 401, "description": "Unauthorized {echo}"]]]),
        ("/matrix/", [["status": 401, "body": ["errcode": "M_UNKNOWN_TOKEN", "error": "Unknown token {echo}"]]]),
        ("/zulip/", [["status": 401, "body": ["result": "error", "msg": "Invalid API key {echo}", "code": "INVALID_API_KEY"]]]),
        ("/ntfy/", [["status": 401, "body": ["code": 40101, "http": 401, "error": "unauthorized {echo}"]]]),
        ("/webhook/", [["status": 401, "body": "bad signature for {echo}", "content_type": "text/plain"]]),
        ("/line/", [["status": 401, "body": ["message": "Authentication failed. {echo}"]]]),
        ("/lark/", [["status": 200, "body": ["code": 19021, "msg": "sign match fail {echo}"]]]),
        ("/dingtalk/", [["status": 200, "body": ["errcode": 310000, "errmsg": "sign not match {echo}"]]]),
        ("/wecom/", [["status": 200, "body": ["errcode": 93000, "errmsg": "invalid webhook url {echo}"]]]),
    ] }

    static func planEchoes(_ receiver: Receiver) async throws {
        for (path, plan) in echoes { try await receiver.plan(path, plan) }
    }

    @Test func noSecretInAnyOutputOrInTheStateDir() async throws {
        let receiver = try await Receiver()
        let (text, environment) = Self.config(receiver.base)
        var cli = CLI(config: text)
        cli.environment.merge(environment) { $1 }
        write("\(receiver.base)/discord/api/webhooks/4455/PlantedDiscordToken\n", to: cli.directory + "/discord-url")
        var outputs: [String] = []
        func record(_ result: CLI.Result, _ what: String) {
            outputs.append("$ \(what)\n\(result.stdout)\n\(result.stderr)")
        }
        func run(_ arguments: String...) async throws {
            record(try await cli.run(arguments), arguments.joined(separator: " "))
        }
        func now(_ arguments: String...) async throws {
            record(try await cli.now(arguments), "now " + arguments.joined(separator: " "))
        }

        try await run("check")
        try await run("check", "--json")
        try await run("log", "progress", "Shipped the thing", "--as", "alice")
        try await run("preview")
        try await run("preview", "--json")
        try await run("preview", "--digest")
        for target in ["slack", "discord", "teams", "gchat", "telegram", "matrix", "zulip", "ntfy", "hook", "line", "lark", "dingtalk", "wecom"] {
            try await run("preview", "--target", target, "--json")
        }
        try await run("now", "--dry-run")
        try await run("now", "--dry-run", "--json")
        try await Self.planEchoes(receiver)
        try await now("--verbose", "--team", "platform")
        try await run("deliveries")
        try await run("deliveries", "--json")
        try await run("deliveries", "--failed")
        try await run("retry", "--all-parked")
        try await Self.planEchoes(receiver)
        try await now("--json", "--team", "platform")
        try await run("history")
        try await run("history", "--json")
        try await run("schedule")
        try await run("schedule", "--json")

        // The daemon: a slot every 3 seconds of real time, errors echoed again, then SIGTERM.
        try await Self.planEchoes(receiver)
        let scheduled = text.replacingOccurrences(of: #"cron = "0 17 * * FRI""#, with: #"cron = "* * * * *""#)
        write(scheduled, to: cli.directory + "/narrate.toml")
        let daemon = try await DaemonTests.Daemon(cli, notify: nil)
        try await Task.sleep(nanoseconds: 6_000_000_000)
        daemon.signal(SIGTERM)
        let (status, log) = try await daemon.finish()
        #expect(status == 0)
        outputs.append("$ run\n\(log)")

        // The receiver did get the secrets (they were really used) ...
        let received = try await receiver.requests().map { "\($0.path)?\($0.query) \($0.headers["authorization"] ?? "")" }
        #expect(received.contains { $0.contains("PlantedTelegramToken") })
        #expect(received.contains { $0.contains("PlantedNtfyTopic") })
        #expect(received.contains { $0.contains("Bearer PlantedLineChannelToken") } && received.contains { $0.contains("PlantedWecomKey") })
        #expect(outputs.contains { $0.contains("HTTP 401") }, "the platforms' errors were reported")

        // ... and none of them came back out.
        let zulipBasic = Data("bot@example.org:PlantedZulipKey".utf8).base64EncodedString()
        let whsec = Data("PlantedHookKey".utf8).base64EncodedString()
        for output in outputs {
            let lower = output.lowercased()
            #expect(!lower.contains(Self.marker) && !output.contains(zulipBasic) && !output.contains(whsec), "\(output)")
        }
        let files = FileManager.default.enumerator(atPath: cli.stateDir)?.compactMap { $0 as? String } ?? []
        #expect(files.contains("narrate.sqlite"))
        for file in files {
            guard let data = FileManager.default.contents(atPath: cli.stateDir + "/" + file) else { continue }
            let text = String(decoding: data, as: UTF8.self).lowercased()
            #expect(!text.contains(Self.marker), "\(file)")
            #expect(data.range(of: Data(zulipBasic.utf8)) == nil && data.range(of: Data(whsec.utf8)) == nil, "\(file)")
        }
    }
}

/// Ids stay ids in every output when a target's URL ends in one.
@Suite struct IdsAreNotSecretsTests {
    @Test func anNtfyTopicNamedLikeTheScheduleLeavesTheScheduleNamed() async throws {
        let text = exampleConfig(replacing: "targets = [\"terminal\", \"archive\"]", with: "targets = [\"terminal\", \"archive\", \"phone\"]")
            + "\n[[target]]\nid = \"phone\"\nkind = \"ntfy\"\nurl_env = \"PHONE_URL\"\n"
        var cli = CLI(config: text)
        cli.environment["PHONE_URL"] = "https://ntfy.example/platform-weekly"
        let schedule = try await cli.run("schedule")
        #expect(schedule.status == 0 && schedule.stdout.hasPrefix("platform-weekly  platform"), "\(schedule.stdout)\(schedule.stderr)")
        let dryRun = try await cli.run("now", "--dry-run", "--json")
        #expect(dryRun.stdout.contains("\"team\" : \"platform\"") && !dryRun.stdout.contains("ntfy.example"), "\(dryRun.stdout)")
    }
}

/// `check` says what a secret gives away before a delivery finds out.
@Suite struct SecretStrengthTests {
    static func check(phone: String, webhookSecret: String) async throws -> CLI.Result {
        let text = exampleConfig(replacing: "targets = [\"terminal\", \"archive\"]", with: "targets = [\"terminal\", \"archive\", \"phone\", \"hook\"]")
            + "\n[[target]]\nid = \"phone\"\nkind = \"ntfy\"\nurl_env = \"PHONE_URL\"\n"
            + "\n[[target]]\nid = \"hook\"\nkind = \"webhook\"\nurl_env = \"HOOK_URL\"\nsecret_env = \"HOOK_SECRET\"\n"
        var cli = CLI(config: text)
        cli.environment["PHONE_URL"] = phone
        cli.environment["HOOK_URL"] = "https://receiver.example/narrate"
        cli.environment["HOOK_SECRET"] = webhookSecret
        return try await cli.run("check")
    }

    @Test func aGuessableNtfyTopicIsAWarningAndABadWebhookSecretAnError() async throws {
        let weak = try await Self.check(phone: "https://ntfy.example/payments", webhookSecret: "not a key!")
        #expect(weak.status == 1, "a secret no request can be signed with is an error")
        #expect(weak.stdout.contains("target[2].url_env: the ntfy topic \"payments\" can be guessed"), "\(weak.stdout)")
        #expect(weak.stdout.contains("error: target[3].secret_env: the secret is not a whsec_ key"), "\(weak.stdout)")
        #expect(!weak.stdout.contains("not a key!"), "the secret itself is not printed")
        let strong = try await Self.check(phone: "https://ntfy.example/k3Jd9x2LqP0vT7wZ4mYb8RcA", webhookSecret: "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw")
        #expect(strong.status == 0 && !strong.stdout.contains("ntfy topic") && !strong.stdout.contains("whsec_ key"), "\(strong.stdout)")
    }
}
