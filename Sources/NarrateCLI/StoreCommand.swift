import ArgumentParser
import Foundation
import NarrateDelivery
import NarrateModel
import NarratePostgres
import NarrateStore

struct StoreCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "store", abstract: "Move a store to PostgreSQL.", subcommands: [StoreCopyCommand.self])
}

struct StoreCopyCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "copy",
        abstract: "Copy an SQLite store into an empty PostgreSQL database and verify it table by table.",
        discussion: """
            The destination is the config's [store] unless --to names another database. Every table \
            is read back and compared with the source by row count and checksum. A database that \
            already holds the same rows is left as it is; one holding other rows is refused. \
            Stop the daemon first: parts it sends meanwhile would not be copied.
            """)

    @OptionGroup var global: GlobalOptions

    @Option(help: ArgumentHelp("The SQLite store: sqlite:PATH, a state directory or its narrate.sqlite.", valueName: "sqlite:PATH"))
    var from: String

    @Option(help: ArgumentHelp("The database, postgres://USER@HOST/DATABASE (default: the config's [store]).", valueName: "URL"))
    var to: String?

    @Option(name: .customLong("password-file"), help: "With --to: a file holding the database password.")
    var passwordFile: String?

    @Option(name: .customLong("password-env"), help: "With --to: an environment variable holding the database password.")
    var passwordEnv: String?

    func validate() throws {
        guard from.hasPrefix("sqlite:") || !from.contains("://") else { throw ValidationError("--from takes sqlite:PATH") }
        if to == nil && (passwordFile != nil || passwordEnv != nil) {
            throw ValidationError("--password-file and --password-env go with --to")
        }
        if passwordFile != nil && passwordEnv != nil { throw ValidationError("give one of --password-file and --password-env") }
    }

    func run() async throws {
        var path = from.hasPrefix("sqlite:") ? String(from.dropFirst("sqlite:".count)) : from
        var isDirectory: ObjCBool = false
        if FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), isDirectory.boolValue {
            path += "/" + SQLiteStore.fileName
        }
        guard FileManager.default.fileExists(atPath: path) else {
            throw NarrateError(.notFound, "no SQLite store at \(path)")
        }
        let source = try SQLiteStore(readOnly: path)
        let secrets = SecretResolver(environment: global.wiring.environment, redactor: global.wiring.redactor)
        var settings: StoreSettings
        if let to {
            do {
                settings = try StoreSettings(url: to)
            } catch {
                throw NarrateError(.invalidInput, "--to: the URL \(error)")
            }
            settings.password = passwordFile.map(Secret.file) ?? passwordEnv.map(Secret.environment)
        } else {
            let (config, _) = try global.loadConfig()
            guard let configured = config.store else {
                throw NarrateError(.invalidInput, "the config has no [store]; name the database with --to postgres://USER@HOST/DATABASE")
            }
            settings = configured
        }
        let destination = try await GlobalOptions.postgres(settings, secrets: secrets, logger: global.logger)
        _ = try await destination.probe()
        let outcome = try await StoreCopy(from: source, to: destination).run()
        let checks: [StoreCopy.Check]
        switch outcome {
        case .copied(let done):
            checks = done
            Console.out("copied \(path) to \(settings.displayURL):")
        case .alreadyCopied(let done):
            checks = done
            Console.out("\(settings.displayURL) already holds this store; nothing was written:")
        }
        for check in checks {
            Console.out("  \(check.table.padding(toLength: 13, withPad: " ", startingAt: 0)) \(String(check.rows).leftPad(7)) rows  sha256 \(check.checksum.prefix(12))  same on both sides")
        }
    }
}

extension String {
    fileprivate func leftPad(_ width: Int) -> String { String(repeating: " ", count: max(0, width - count)) + self }
}
