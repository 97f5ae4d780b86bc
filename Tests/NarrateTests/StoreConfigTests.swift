import Foundation
import Testing
@testable import NarrateConfig
@testable import NarrateModel

/// `[store]`: a PostgreSQL database for several instances, its URL read and refused with the
/// file, line and key, and never repeated when it might hold a password.
@Suite struct StoreConfigTests {
    func store(_ lines: String) -> (StoreSettings?, [Diagnostic]) {
        let text = exampleConfig() + "\n[store]\n" + lines + "\n"
        let parsed = Config.parse(text: text, file: "t.toml")
        return (parsed.config?.store, parsed.diagnostics.filter { $0.keyPath.hasPrefix("store") })
    }

    @Test func aURLAndAPasswordFileMakeTheSettings() throws {
        let (settings, problems) = store("""
            url = "postgres://narrate@db.example.org:6432/narrate?sslmode=verify-full"
            password_file = "/run/credentials/narrate.service/db"
            pool_size = 8
            statement_timeout = "1m"
            """)
        #expect(problems.isEmpty)
        let store = try #require(settings)
        #expect(store.host == "db.example.org" && store.port == 6432 && store.user == "narrate" && store.database == "narrate")
        #expect(store.tls == .verifyFull && store.poolSize == 8 && store.statementTimeout == 60)
        #expect(store.password == .file("/run/credentials/narrate.service/db"))
        #expect(store.displayURL == "postgres://narrate@db.example.org:6432/narrate?sslmode=verify-full")
    }

    @Test func aUnixSocketDirectoryAndDefaults() throws {
        let (settings, problems) = store(#"url = "postgresql://narrate@/narrate?host=/run/postgresql""#)
        #expect(problems.isEmpty)
        let store = try #require(settings)
        #expect(store.host == "/run/postgresql" && store.port == 5432 && store.tls == .prefer && store.poolSize == 4)
    }

    /// The URL is logged; a password in it is refused, and the message does not repeat it.
    @Test(arguments: [
        ("postgres://narrate:hunter2@db/narrate", "holds a password; the URL is logged, so give it as password_file or password_env"),
        ("postgres://narrate@db/narrate?password=hunter2", "holds a password; the URL is logged, so give it as password_file or password_env"),
        ("mysql://narrate@db/narrate", "scheme \"mysql\" is not postgres:// (leave [store] out for the SQLite file)"),
        ("postgres://narrate@db/narrate?sslmode=verify-ca", "sslmode \"verify-ca\" is not one of disable, prefer, require, verify-full"),
        ("postgres://narrate@db:99999/narrate", "port \"99999\" is not a number from 1 to 65535"),
        ("postgres://db/narrate", "names no user (postgres://USER@HOST/DATABASE)"),
        ("postgres://narrate@db", "names no database (postgres://USER@HOST/DATABASE)"),
        ("postgres://narrate@db/narrate?connect_timeout=3", "has the parameter \"connect_timeout\", which narrate does not use (sslmode, host)"),
    ])
    func aBadURLIsAnErrorOnItsLine(_ url: String, _ message: String) {
        let (settings, problems) = store("url = \"\(url)\"")
        #expect(settings == nil)
        #expect(problems.map(\.message) == [message])
        #expect(problems.first?.keyPath == "store.url")
        #expect(problems.first?.line == lineNumber(of: "url = \"\(url)\"", in: exampleConfig() + "\n[store]\nurl = \"\(url)\"\n"))
        #expect(!problems.contains { $0.description.contains("hunter2") })
    }

    @Test func aPasswordInTheConfigIsWarnedAboutAndTwoSourcesAreRefused() {
        let (_, warned) = store("""
            url = "postgres://narrate@db/narrate"
            password = "hunter2"
            """)
        #expect(warned.map(\.severity) == [.warning])
        #expect(warned.first?.keyPath == "store.password")
        let (_, refused) = store("""
            url = "postgres://narrate@db/narrate"
            password_env = "DB_PASSWORD"
            password_file = "/run/db"
            """)
        #expect(refused.contains { $0.message == "give only one of password, password_env and password_file" })
        let (_, missing) = store("pool_size = 2")
        #expect(missing.map(\.message) == ["missing required key \"url\""])
        let (_, typo) = store("""
            url = "postgres://narrate@db/narrate"
            poolsize = 2
            """)
        #expect(typo.map(\.message) == [#"unknown key "poolsize" (did you mean "pool_size"?)"#])
    }
}
