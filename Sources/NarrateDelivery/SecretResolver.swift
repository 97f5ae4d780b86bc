import Foundation
import NarrateModel
import NarrateTargets

/// Reads secret values from where the config says they are — the config itself, an environment
/// variable, a file or systemd's `$CREDENTIALS_DIRECTORY` — and registers every value it reads
/// with the redactor before handing it out.
public struct SecretResolver: Sendable {
    public let environment: [String: String]
    public let redactor: Redactor

    public init(environment: [String: String], redactor: Redactor) {
        self.environment = environment
        self.redactor = redactor
    }

    public func reveal(_ secret: Secret) throws -> String {
        let value = try read(secret)
        redactor.register(value)
        return value
    }

    /// Reads every secret of the config that can be read, so the redactor knows them all before
    /// the first line is printed; secrets that cannot be read are listed with why.
    @discardableResult
    public func prime(_ config: Config) -> [(target: String, problem: String)] {
        redactor.keep(config.ids)
        var problems: [(String, String)] = []
        for target in config.targets {
            for secret in target.secrets {
                do {
                    _ = try reveal(secret)
                } catch {
                    problems.append((target.id, "\(error)"))
                }
            }
        }
        for secret in [
            config.http?.slackSigningSecret, config.http?.mattermostToken, config.http?.lineChannelSecret, config.http?.lineChannelToken,
            config.http?.larkVerificationToken, config.store?.password,
        ].compactMap({ $0 }) + config.sources.compactMap(\.token) {
            _ = try? reveal(secret)
        }
        return problems
    }

    private func read(_ secret: Secret) throws -> String {
        switch secret {
        case .plain(let value):
            return value
        case .environment(let name):
            guard let value = environment[name], !value.isEmpty else {
                throw NarrateError(.unavailable, "environment variable \(name) is not set")
            }
            return value
        case .file(let path):
            var candidates = [path]
            if !path.hasPrefix("/"), let credentials = environment["CREDENTIALS_DIRECTORY"] {
                candidates.insert(credentials + "/" + path, at: 0)
            }
            for candidate in candidates {
                if let data = FileManager.default.contents(atPath: candidate),
                    let text = String(data: data, encoding: .utf8)
                {
                    return text.trimmingCharacters(in: .whitespacesAndNewlines)
                }
            }
            throw NarrateError(.unavailable, "cannot read secret file \(path)")
        }
    }
}
