import ArgumentParser

struct MoodCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "mood", abstract: "Record a mood check-in (1–5), optionally with load (1–5); the team sees only aggregates.")

    @OptionGroup var global: GlobalOptions

    @Argument(help: "Person id.")
    var person: String

    @Argument(help: "Mood, 1 (low) to 5 (great).")
    var mood: Int

    @Option(help: "Load, 1 (idle) to 5 (overloaded).")
    var load: Int?

    func run() throws {
        let context = try global.context()
        let checkIn = try context.checkIns.mood(try context.config.requirePerson(person), mood: mood, load: load)
        Console.out("recorded mood for \(checkIn.person)")
    }
}
