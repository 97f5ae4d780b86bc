import Foundation
import Glibc
import NarrateModel

/// Questions on the terminal, answered line by line: `narrate init`'s interview. An answer that
/// cannot be used is asked again with the reason; the end of input stops the interview.
struct Prompt {
    struct Ended: Error {}

    /// Whether standard input is a terminal (someone to ask).
    static var isInteractive: Bool { isatty(STDIN_FILENO) == 1 }

    /// Asks until `parse` accepts the answer (an empty answer is `fallback`, when there is one).
    func ask<T>(_ question: String, default fallback: String? = nil, hidden: Bool = false, _ parse: (String) throws -> T) throws -> T {
        while true {
            Console.raw(question + (fallback.map { " [\($0)]" } ?? "") + ": ")
            guard let line = hidden ? Self.readHidden() : readLine() else {
                Console.raw("\n")
                throw Ended()
            }
            let answer = line.trimmingCharacters(in: .whitespaces)
            do {
                return try parse(answer.isEmpty ? fallback ?? "" : answer)
            } catch {
                Console.out("  \(error)")
            }
        }
    }

    /// A yes-or-no question; Enter is `yes`.
    func confirm(_ question: String) throws -> Bool {
        try ask(question + " [Y/n]") { answer in
            switch answer.lowercased() {
            case "", "y", "yes": return true
            case "n", "no": return false
            default: throw NarrateError(.invalidInput, "answer y or n")
            }
        }
    }

    /// A line read with the terminal's echo off (a webhook URL is a secret: not on the screen,
    /// not in the scrollback).
    static func readHidden() -> String? {
        var saved = termios()
        guard tcgetattr(STDIN_FILENO, &saved) == 0 else { return readLine() }
        var quiet = saved
        quiet.c_lflag &= ~tcflag_t(ECHO)
        tcsetattr(STDIN_FILENO, TCSANOW, &quiet)
        defer {
            tcsetattr(STDIN_FILENO, TCSANOW, &saved)
            Console.raw("\n")
        }
        return readLine()
    }
}
