import ArgumentParser
import Foundation
import NarrateApp
import NarrateModel
import NarrateTargets
import NarrateConfig
import NarrateReport

struct TokenCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "token", abstract: "Personal check-in links and API tokens (only their hashes are kept).",
        subcommands: [TokenCreateCommand.self, TokenListCommand.self, TokenRevokeCommand.self])
}

struct TokenCreateCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "create", abstract: "Make a check-in link and an API token for a person; they are shown once.")

    @OptionGroup var global: GlobalOptions

    @Argument(help: "Person id.")
    var person: String

    @Option(help: "How long they stay valid, e.g. 30d (default: [http] token_lifetime, 90d); 0 = until revoked.")
    var expires: String?

    @Flag(help: "Print JSON.")
    var json = false

    func run() async throws {
        let context = try await global.context()
        let person = try context.config.requirePerson(self.person)
        var lifetime: Int?
        if let expires {
            guard let seconds = expires == "0" ? 0 : DurationText.seconds(expires) else {
                throw NarrateError(.invalidInput, "--expires \"\(expires)\" is not a duration; write e.g. 30d, 12w or 0")
            }
            lifetime = seconds
        }
        let issued = try await context.tokens.create(for: person, lifetime: lifetime)
        let zone = context.config.zone(of: person)
        let expiry = issued.api.expiresAt.map { TimeText.iso($0, in: zone) }
        if json {
            var object: [String: Any] = ["person": person.id, "link_token": issued.link, "api_token": issued.apiToken]
            object["link"] = issued.url ?? NSNull()
            object["expires"] = expiry ?? NSNull()
            return Console.raw(String(decoding: try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys, .prettyPrinted, .withoutEscapingSlashes]), as: UTF8.self) + "\n")
        }
        Console.out("check-in link for \(person.id): \(issued.url ?? "(set [http] public_url for the full link) /checkin/\(issued.link)")")
        Console.out("API token for \(person.id):     \(issued.apiToken)")
        Console.out(expiry.map { "valid until \($0)" } ?? "valid until revoked")
        Console.err("Shown once: narrate keeps only their hashes. `narrate token revoke \(person.id)` ends them.")
    }
}

struct TokenListCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "list", abstract: "List tokens (never their text).")

    @OptionGroup var global: GlobalOptions

    @Argument(help: "Person id (default: everyone).")
    var person: String?

    @Flag(help: "Print JSON (never a token's text or hash).")
    var json = false

    /// A token as `--json` shows it.
    struct Listed: Encodable {
        var id: Int64
        var person: String
        var scope: String
        var createdAt: Date
        var expiresAt: Date?
        var revokedAt: Date?
        var lastUsedAt: Date?
    }

    func run() async throws {
        let context = try await global.context(reading: true)
        let person = try self.person.map(context.config.requirePerson)
        let now = context.clock.now()
        let zone = Config.zone(context.config.timeZone)
        let tokens = try await context.tokens.list(of: person)
        if json {
            return try Console.json(tokens.map {
                Listed(
                    id: $0.id, person: $0.person, scope: $0.scope.rawValue, createdAt: $0.createdAt, expiresAt: $0.expiresAt,
                    revokedAt: $0.revokedAt, lastUsedAt: $0.lastUsedAt)
            })
        }
        if tokens.isEmpty { return Console.out("no tokens; `narrate token create PERSON` makes one") }
        for token in tokens {
            let state: String
            if let revoked = token.revokedAt {
                state = "revoked \(TimeText.short(revoked, in: zone))"
            } else if let expires = token.expiresAt {
                state = (expires <= now ? "expired " : "valid until ") + TimeText.short(expires, in: zone)
            } else {
                state = "valid"
            }
            let used = token.lastUsedAt.map { "last used \(TimeText.short($0, in: zone))" } ?? "never used"
            Console.out("\(token.id)\t\(token.person)\t\(token.scope.rawValue)\t\(state)\t\(used)")
        }
    }
}

struct TokenRevokeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "revoke", abstract: "Revoke a person's tokens (all, or one with --id).")

    @OptionGroup var global: GlobalOptions

    @Argument(help: "Person id.")
    var person: String

    @Option(help: "Only this token (an id from `narrate token list`).")
    var id: Int64?

    func run() async throws {
        let context = try await global.context()
        let count = try await context.tokens.revoke(of: try context.config.requirePerson(person), id: id)
        Console.out("revoked \(count) token\(count == 1 ? "" : "s") of \(person)")
    }
}
