import NarrateAPI
import ArgumentParser
import NarrateModel
import NarrateTargets
import NarrateConfig
import NarrateReport

struct MoodCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "mood",
        abstract: "Record a mood check-in (1–5), optionally with load (1–5); the team sees only aggregates.",
        usage: "narrate mood [PERSON] MOOD [--load LOAD] [--at TIME] [--as PERSON]")

    @OptionGroup var global: GlobalOptions

    @Argument(help: "[PERSON] MOOD: a person id (default: you, by $USER) and a mood from 1 (low) to 5 (great).")
    var words: [String]

    @Option(help: "Load, 1 (idle) to 5 (overloaded).")
    var load: Int?

    @Option(parsing: .unconditional, help: "When (default now).")
    var at: String?

    @Option(name: .customLong("as"), help: "Person id, as the first argument may give it (someone else: admins only).")
    var asPerson: String?

    func validate() throws {
        guard (1...2).contains(words.count), Int(words.last!) != nil else {
            throw ValidationError("give a mood from 1 to 5, optionally after a person id: narrate mood [PERSON] MOOD")
        }
        if words.count == 2, let asPerson, asPerson != words[0] {
            throw ValidationError("the person is \(words[0]) or --as \(asPerson), not both")
        }
    }

    /// The person named, by argument or `--as`.
    var named: String? { words.count == 2 ? words[0] : asPerson }

    func run() async throws {
        if let daemon = try global.daemon() {
            let person = named
            let zone = global.zone(daemon.config, as: person)
            let body = Operations.RecordMood.Input.Body.JsonPayload(
                mood: Int(words.last!)!, load: load, at: DaemonClient.iso(try global.time(at, in: zone), zone: zone))
            _ = try await daemon.api(as: person) { try await $0.recordMood(body: .json(body)).created }
            return Console.out("recorded mood for \(person ?? global.user(daemon.config)?.id ?? "you")")
        }
        let context = try await global.context()
        let person = try global.caller(context, as: named).person
        let time = try global.time(at, in: context.config.zone(of: person))
        let checkIn = try await context.checkIns.mood(person, mood: Int(words.last!)!, load: load, at: time)
        Console.out("recorded mood for \(checkIn.person)")
    }
}
