import Foundation
import Synchronization
import Testing

@testable import NarrateModel
@testable import NarrateTOML
@testable import NarrateConfig
@testable import NarrateReport
@testable import NarrateTargets
@testable import NarratePlatform

@Suite struct RedactorTests {
    /// Every form of a webhook URL is masked wherever it shows up, including the percent-encoded
    /// copy of a secret with non-ASCII letters (as it appears inside another URL's query).
    @Test func everyFormOfASecretIsMasked() {
        let redactor = Redactor()
        let url = "https://hooks.slack.com/services/T0/B1/Xsecret42?token=qwerty123"
        redactor.register(url)
        redactor.register("pässwört-9")
        let text = """
            posting to \(url)
            json: \(url.replacingOccurrences(of: "/", with: "\\/"))
            path: /Xsecret42/ and query qwerty123
            encoded: https://relay.example/?to=\(Redactor.percentEncoded(url))
            umlaut: pässwört-9 and p%C3%A4ssw%C3%B6rt-9
            """
        let clean = redactor.redact(text)
        for leaked in ["Xsecret42", "qwerty123", "pässwört", "p%C3%A4ssw", "hooks.slack.com%2F"] {
            #expect(!clean.contains(leaked), "\(leaked) in \(clean)")
        }
        #expect(clean.contains("umlaut: [secret] and [secret]"))
        #expect(Redactor.percentEncoded("a b/ä~") == "a%20b%2F%C3%A4~")
    }

    /// A URL's last segment or query value is masked on its own only when it can be a credential,
    /// and never when it is one of the config's ids: an ntfy topic named like a schedule, a
    /// webhook ending in a team's id, a path ending in "narrate" left names masked everywhere.
    @Test func wordsAndTheConfigsIdsAreNeverMaskedOnTheirOwn() {
        let redactor = Redactor()
        redactor.keep(["payments", "platform-weekly", "narrate"])
        for url in ["https://ntfy.example/platform-weekly", "https://hooks.example/hooks/payments", "https://relay.example/narrate",
                    "https://hooks.example/hooks/deployments", "https://ntfy.example/Xq7-report-feed"] {
            redactor.register(url)
        }
        let text = "[narrate] 0.1.0 running: payments, platform-weekly, deployments; Xq7-report-feed"
        #expect(redactor.redact(text) == "[narrate] 0.1.0 running: payments, platform-weekly, deployments; [secret]")
        #expect(redactor.redact("posting to https://ntfy.example/platform-weekly") == "posting to [secret]", "the whole URL still is")
        #expect(Redactor.isCredentialLike("B0123ABC") && Redactor.isCredentialLike("aaaaaaaaaaaaaaaa"))
        #expect(!Redactor.isCredentialLike("payments") && !Redactor.isCredentialLike("Ab1"))
    }

    /// A secret's trimmed and slash-escaped forms are Foundation's, worked out without it.
    @Test func formsAgreeWithFoundation() {
        var random = SeededRandom(seed: 12)
        let alphabet = Array("ab/:\t\n\r \u{0B}\u{0C}\u{85}\u{A0}\u{2028}\u{2029}\u{3000}\u{200B}é😀".unicodeScalars)
        for _ in 0..<2_000 {
            let text = random.text(of: alphabet, length: 0...8)
            #expect(Redactor.trimmingWhitespace(text) == text.trimmingCharacters(in: .whitespacesAndNewlines), "\(text.debugDescription)")
            #expect(Redactor.slashEscaped(text) == text.replacingOccurrences(of: "/", with: "\\/"), "\(text.debugDescription)")
        }
    }

    /// The one-pass search (a filter on the first two bytes, then the forms by their first four)
    /// masks exactly what trying every form at every position, longest first, masks.
    @Test func onePassMatchesTryingEveryForm() {
        var random = SeededRandom(seed: 11)
        let alphabet = Array("abcxyz/:%?=-_ é".unicodeScalars)
        func word(_ length: ClosedRange<Int>) -> String { random.text(of: alphabet, length: length) }
        for _ in 0..<300 {
            let redactor = Redactor()
            var forms: [[UInt8]] = []
            for _ in 0..<Int.random(in: 1...6, using: &random) {
                let secret = word(6...10)
                redactor.register(secret)
                forms += Redactor.forms(of: secret).filter { $0.count >= 6 }.map { Array($0.utf8) }
            }
            var text = ""
            for _ in 0..<Int.random(in: 0...12, using: &random) {
                text += Bool.random(using: &random) ? word(0...8) : String(decoding: forms.randomElement(using: &random)!, as: UTF8.self)
            }
            #expect(redactor.redact(text) == Self.naive(text, forms: forms), "\(text)")
        }
    }

    /// A secret is masked as soon as any `register` of it returns, even while another thread is
    /// still registering the same value (couriers of several targets reveal one token at once).
    @Test func aSecretIsMaskedOnceAnyRegistrationReturns() {
        let leaks = Mutex(0)
        for round in 0..<200 {
            let redactor = Redactor()
            let secret = "https://hooks.example/services/T\(round)/B\(round)/x\(round)secret"
            DispatchQueue.concurrentPerform(iterations: 8) { _ in
                redactor.register(secret)
                if redactor.redact("url: \(secret)") != "url: [secret]" { leaks.withLock { $0 += 1 } }
            }
        }
        #expect(leaks.withLock { $0 } == 0)
    }

    static func naive(_ text: String, forms: [[UInt8]]) -> String {
        let sorted = Set(forms).sorted { $0.count > $1.count }
        let bytes = Array(text.utf8)
        var output: [UInt8] = []
        var position = 0
        while position < bytes.count {
            if let form = sorted.first(where: { position + $0.count <= bytes.count && Array(bytes[position..<position + $0.count]) == $0 }) {
                output += Array(Redactor.mask.utf8)
                position += form.count
            } else {
                output.append(bytes[position])
                position += 1
            }
        }
        return String(decoding: output, as: UTF8.self)
    }
}

/// A small deterministic generator (SplitMix64), so a failure can be replayed.
struct SeededRandom: RandomNumberGenerator {
    var state: UInt64

    init(seed: UInt64) { state = seed }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// A string of `length` scalars drawn from `alphabet`.
    mutating func text(of alphabet: [Unicode.Scalar], length: ClosedRange<Int>) -> String {
        String(String.UnicodeScalarView((0..<Int.random(in: length, using: &self)).map { _ in alphabet.randomElement(using: &self)! }))
    }
}
