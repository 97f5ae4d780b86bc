import Foundation
import Logging
import NarrateModel
import NarrateTargets
import NarrateConfig
import NarrateReport

/// Log lines on stderr as `narrate: warning: message`, or with a syslog priority prefix
/// (`<4>message`) when stderr is the systemd journal (`JOURNAL_STREAM` is set). Every line
/// passes through the redactor.
struct TerminalLogHandler: LogHandler {
    var logLevel: Logger.Level
    var metadata: Logger.Metadata = [:]
    let journal: Bool
    let redactor: Redactor

    init(level: Logger.Level, journal: Bool, redactor: Redactor) {
        logLevel = level
        self.journal = journal
        self.redactor = redactor
    }

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    func log(event: LogEvent) {
        var text = "\(event.message)"
        let all = metadata.merging(event.metadata ?? [:]) { $1 }
        if !all.isEmpty {
            text += " " + all.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: " ")
        }
        text = redactor.redact(text)
        let line = journal ? "<\(Self.priority(event.level))>\(text)\n" : "narrate: \(event.level): \(text)\n"
        Console.write(line, to: STDERR_FILENO)
    }

    /// syslog priorities as journald reads them from a `<N>` prefix.
    static func priority(_ level: Logger.Level) -> Int {
        switch level {
        case .trace, .debug: 7
        case .info: 6
        case .notice: 5
        case .warning: 4
        case .error: 3
        case .critical: 2
        }
    }
}
