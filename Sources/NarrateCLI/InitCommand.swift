import ArgumentParser
import Foundation
import NarrateApp
import NarrateDelivery
import NarrateModel
import NarrateStore

struct InitCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "init",
        abstract: "Write a first config: asked for in a terminal, else the commented example.",
        discussion: """
            In a terminal it asks for the team's name, its people and their Unix users, the time \
            zone, the weekly slot and one chat webhook (kept in a file of its own, mode 0600), \
            then runs `check` and offers to post a test message. Without a terminal, or with \
            --yes, it writes the commented example; with --team (and the other flags) it writes \
            the config those answers make, asking nothing.
            """)

    @OptionGroup var global: GlobalOptions

    @Flag(help: "Overwrite an existing config file.")
    var force = false

    @Flag(help: "Ask nothing: the example config, or the one --team and the flags below describe.")
    var yes = false

    @Option(help: "The team's name.")
    var team: String?

    @Option(name: .customLong("member"), help: ArgumentHelp("A person: \"Name, unix user\" (repeat for each).", valueName: "name, user"))
    var members: [String] = []

    @Option(help: "The team's IANA time zone (default the system's).")
    var timezone: String?

    @Option(help: "The report's language: en or zh-Hant.")
    var locale: String = "en"

    @Option(help: "The weekly report's day and time, e.g. \"Fri 17:00\".")
    var slot: String = "Fri 17:00"

    @Option(help: ArgumentHelp("The chat's kind (slack, discord, teams, …).", valueName: "kind"))
    var chat: String?

    @Option(help: ArgumentHelp("A file holding the chat's webhook URL (not the URL: a command line is visible to every user).", valueName: "path"))
    var webhookURLFile: String?

    func run() async throws {
        let stateDir = StateDirectory.resolve(flag: global.stateDir, environment: global.wiring.environment)
        if let team {
            return try await write(try flagged(team), stateDir: stateDir, asking: nil)
        }
        guard Prompt.isInteractive && !yes else {
            let result = try Setup.initialize(
                configPath: global.configPath, stateDir: stateDir, overwrite: force, recorded: global.stateDir != nil)
            Console.out("wrote \(result.configPath)")
            Console.out("state directory \(result.stateDir)")
            return
        }
        try Setup.refuseOverwriting(global.configPath, unless: force)
        let prompt = Prompt()
        do {
            try await write(try interview(prompt), stateDir: stateDir, asking: prompt)
        } catch is Prompt.Ended {
            Console.err("stopped; nothing was written")
            throw ExitCode(1)
        }
    }

    /// The questions, each with its default and the reason when an answer cannot be used.
    func interview(_ prompt: Prompt) throws -> FirstConfig {
        Console.out("narrate init writes \(global.configPath). Enter takes the [default]; Ctrl-D stops.\n")
        let teamName = try prompt.ask("Team name") { answer in
            guard !answer.isEmpty else { throw NarrateError(.invalidInput, "the team needs a name, e.g. Platform") }
            return answer
        }
        Console.out("Who is on the team? One person a line: their name, a comma, their Unix user on this server (empty line when done).")
        var members: [FirstConfig.Member] = []
        while true {
            let member = try prompt.ask("  person \(members.count + 1)") { answer -> FirstConfig.Member? in
                if answer.isEmpty {
                    if members.isEmpty { throw NarrateError(.invalidInput, "the team needs at least one person, e.g. Alice Chen, alice") }
                    return nil
                }
                return try Self.member(answer)
            }
            guard let member else { break }
            members.append(member)
        }
        let zone = try prompt.ask("Time zone", default: Self.systemZone, Self.zone)
        let locale = try prompt.ask("Report language, en or zh-Hant", default: "en", Self.locale)
        let slot = try prompt.ask("Weekly report: day and time", default: "Fri 17:00") { try FirstConfig.WeeklySlot(parsing: $0) }
        let kinds = FirstConfig.Chat.kinds.map(\.rawValue)
        let kind = try prompt.ask("Chat for the report: \(kinds.joined(separator: ", ")), or none", default: "slack") { answer -> Target.Kind? in
            answer == "none" ? nil : try Self.kind(answer)
        }
        var chat: FirstConfig.Chat?
        if let kind {
            let file = (global.configPath as NSString).deletingLastPathComponent
            let folder = (file.isEmpty ? "" : file + "/") + "credentials/"
            let url = try prompt.ask("\(kind.rawValue) webhook URL (kept in \(folder)…, mode 0600; not shown as you type)", hidden: true) { answer in
                if let problem = FirstConfig.Chat.problem(answer) { throw NarrateError(.invalidInput, problem) }
                return answer
            }
            chat = FirstConfig.Chat(kind: kind, url: url)
        }
        return FirstConfig(teamName: teamName, members: members, timeZone: zone, locale: locale, slot: slot, chat: chat)
    }

    /// The answers the flags give.
    func flagged(_ team: String) throws -> FirstConfig {
        var chat: FirstConfig.Chat?
        if let kind = self.chat {
            guard let file = webhookURLFile else { throw ValidationError("--chat needs --webhook-url-file") }
            guard let text = try? String(contentsOfFile: file, encoding: .utf8) else { throw NarrateError(.unavailable, "cannot read \(file)") }
            let url = text.trimmingCharacters(in: .whitespacesAndNewlines)
            if let problem = FirstConfig.Chat.problem(url) { throw NarrateError(.invalidInput, "\(file): \(problem)") }
            chat = FirstConfig.Chat(kind: try Self.kind(kind), url: url)
        }
        guard !members.isEmpty else { throw ValidationError("--team needs at least one --member \"Name, unix user\"") }
        return FirstConfig(
            teamName: team, members: try members.map(Self.member), timeZone: try Self.zone(timezone ?? Self.systemZone),
            locale: try Self.locale(locale), slot: try FirstConfig.WeeklySlot(parsing: slot), chat: chat)
    }

    /// Writes the config and the secret, runs `check` on them, and (when asking) offers the test message.
    func write(_ first: FirstConfig, stateDir: String, asking prompt: Prompt?) async throws {
        let written = try Setup.write(
            first, configPath: global.configPath, stateDir: global.stateDir != nil ? stateDir : nil,
            recordStateDir: global.stateDir != nil, overwrite: force)
        Console.out("wrote \(written.config)")
        if let credentials = written.credentials { Console.out("wrote \(credentials) (mode 0600)") }
        var check = try CheckCommand.parse(["--config", global.configPath] + (global.stateDir.map { ["--state-dir", $0] } ?? []))
        try await check.run()
        if let prompt, first.chat != nil, try prompt.confirm("Post a test message to \(first.chatID) now?") {
            let secrets = SecretResolver(environment: global.wiring.environment, redactor: global.wiring.redactor)
            let clock = global.wiring.clock
            let problem = try await CurlTransport.withRunning { transport in
                try await Setup.sendTestMessage(first, configPath: global.configPath, transport: transport, secrets: secrets, clock: clock)
            }
            if let problem {
                Console.out("\(first.chatID) did not take it: \(problem)")
                Console.out("fix the URL in \(written.credentials ?? "the credentials file"), then run `narrate now --team \(first.teamID)`")
            } else {
                Console.out("posted to \(first.chatID): look for it in your chat")
            }
        }
        Console.out("next: narrate log progress \"…\" (as a person of the team), narrate preview --team \(first.teamID), and `systemctl start narrate` or `narrate run`")
    }

    static var systemZone: String { TimeZone.current.identifier }

    static func member(_ text: String) throws -> FirstConfig.Member {
        let fields = text.split(separator: ",", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
        guard let name = fields.first, !name.isEmpty else { throw NarrateError(.invalidInput, "give a name, e.g. Alice Chen, alice") }
        let user = fields.count == 2 && !fields[1].isEmpty ? fields[1] : nil
        if let user, user.contains(where: { $0 == " " || $0 == "/" || $0 == ":" }) {
            throw NarrateError(.invalidInput, "\"\(user)\" is not a Unix user name")
        }
        return FirstConfig.Member(name: name, unixUser: user)
    }

    static func zone(_ text: String) throws -> String {
        guard TimeZone(identifier: text) != nil else { throw NarrateError(.invalidInput, "\"\(text)\" is not an IANA time zone, e.g. Asia/Taipei") }
        return text
    }

    static func locale(_ text: String) throws -> String {
        guard ["en", "zh-Hant"].contains(text) else { throw NarrateError(.invalidInput, "the report speaks en or zh-Hant") }
        return text
    }

    static func kind(_ text: String) throws -> Target.Kind {
        guard let kind = Target.Kind(rawValue: text.lowercased()), FirstConfig.Chat.kinds.contains(kind) else {
            throw NarrateError(.invalidInput, "\"\(text)\" is not one of \(FirstConfig.Chat.kinds.map(\.rawValue).joined(separator: ", "))")
        }
        return kind
    }
}
