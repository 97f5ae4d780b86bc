import NarrateModel

extension ConfigLoader {
    /// `[store]`: `url` (postgres://USER@HOST:PORT/DATABASE?sslmode=…), the password from
    /// `password_file` or `password_env`, `pool_size`, `statement_timeout`.
    func readStore(_ table: TableReader) -> StoreSettings? {
        defer { table.finish() }
        let password = table.secret("password")
        let poolSize = table.integer("pool_size", range: 1...64)
        let timeout = table.duration("statement_timeout", range: 1...3_600)
        guard let url = table.string("url", required: true) else { return nil }
        do {
            var settings = try StoreSettings(url: url)
            settings.password = password
            if let poolSize { settings.poolSize = poolSize }
            if let timeout { settings.statementTimeout = timeout }
            return settings
        } catch {
            // The message never repeats the URL: it may hold the password this refuses.
            table.error("url", "\(error)")
            return nil
        }
    }
}
