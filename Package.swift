// swift-tools-version: 6.2
import PackageDescription

// Modules depend one way, down this list: NarrateModel (values) ← NarrateTOML ← NarrateReport
// (analyze, render, format) ← NarrateTargets (one descriptor a kind) ← NarrateConfig ←
// NarrateStore (store protocols + SQLite) ← NarratePostgres ← NarrateSources ← NarrateDelivery (courier, libcurl
// transport) ← NarrateApp (use cases, the report pipeline) ← NarrateAPI (generated from
// docs/openapi.yaml) ← NarrateHTTP (the check-in service)
// ← NarrateDaemon (services) ← NarrateCLI (commands, composition root) ← the executables;
// NarratePlatform (executor, threads, sleeps) beside them. A module imports only those before it.
/// Linker settings of the two executables (see the `narrate` target).
let quietExports: [LinkerSetting] = [.unsafeFlags(["-Xlinker", "--no-export-dynamic"], .when(platforms: [.linux]))]

let package = Package(
    name: "narrate",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "narrate", targets: ["narrate"]),
        .library(name: "NarrateModel", targets: ["NarrateModel"]),
        .library(name: "NarrateApp", targets: ["NarrateApp"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.10.0"),
        .package(url: "https://github.com/hummingbird-project/swift-mustache", from: "2.1.1"),
        .package(url: "https://github.com/apple/swift-crypto", from: "3.12.3"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", from: "2.13.0"),
        .package(url: "https://github.com/x-sheep/swift-property-based", from: "2.0.1"),
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1"),
        .package(url: "https://github.com/apple/swift-metrics", from: "2.13.0"),
        .package(url: "https://github.com/apple/swift-http-types", from: "1.8.0"),
        .package(url: "https://github.com/apple/swift-nio", from: "2.101.2"),
        .package(url: "https://github.com/apple/swift-nio-extras", from: "1.35.2"),
        .package(url: "https://github.com/swift-server/swift-prometheus", from: "2.4.1"),
        .package(url: "https://github.com/apple/swift-collections", from: "1.6.0"),
        .package(url: "https://github.com/apple/swift-openapi-runtime", from: "1.13.4"),
        .package(url: "https://github.com/hummingbird-project/swift-openapi-hummingbird", from: "2.1.0"),
        .package(url: "https://github.com/swiftlang/swift-subprocess", from: "1.0.2"),
        .package(url: "https://github.com/apple/swift-system", from: "1.8.1"),
        .package(url: "https://github.com/vapor/postgres-nio", from: "1.33.2"),
    ],
    targets: [
        // The pipeline, one module a stage (docs/architecture.md): values, the TOML reader, the
        // config, the report (analyze, render, format), the target kinds.
        .target(name: "NarrateModel", dependencies: [.product(name: "Crypto", package: "swift-crypto")]),
        .target(
            name: "NarrateTOML",
            dependencies: ["NarrateModel", .product(name: "OrderedCollections", package: "swift-collections")]
        ),
        .target(
            name: "NarrateReport",
            dependencies: ["NarrateModel", .product(name: "Mustache", package: "swift-mustache"), "CCmarkGFM"]
        ),
        .target(
            name: "NarrateTargets",
            dependencies: ["NarrateModel", "NarrateReport", .product(name: "Crypto", package: "swift-crypto")]
        ),
        .target(name: "NarrateConfig", dependencies: ["NarrateModel", "NarrateTOML", "NarrateTargets"]),
        // Threads, sleeps and the executor: the one place narrate touches how work is scheduled.
        .target(name: "NarratePlatform"),
        .target(
            name: "NarrateStore",
            dependencies: [
                "NarrateModel",
                .product(name: "GRDB", package: "GRDB.swift"),
            ]
        ),
        // The same store protocols on PostgreSQL, for several instances on one database (docs/store.md).
        .target(
            name: "NarratePostgres",
            dependencies: [
                "NarrateModel", "NarrateStore", "NarratePlatform",
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .target(
            name: "NarrateSources",
            dependencies: [
                "NarrateModel", "NarrateReport", "NarratePlatform", "NarrateStore", .product(name: "Crypto", package: "swift-crypto"),
            ]
        ),
        .target(
            name: "NarrateDelivery",
            dependencies: [
                "NarrateModel", "NarrateTargets", "NarratePlatform", "NarrateStore", "CCurl",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ]
        ),
        .target(
            name: "NarrateApp",
            dependencies: [
                "NarrateModel", "NarrateConfig", "NarrateReport", "NarrateTargets", "NarratePlatform", "NarrateStore", "NarrateSources", "NarrateDelivery",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Metrics", package: "swift-metrics"),
            ]
        ),
        // The API's types, server protocol and client, generated from docs/openapi.yaml by
        // `scripts/generate-api.sh` and committed (the generator's build would cost CI minutes).
        .target(name: "NarrateAPI", dependencies: [.product(name: "OpenAPIRuntime", package: "swift-openapi-runtime")]),
        // The check-in service: JSON API, web page, slash commands, health and metrics.
        .target(
            name: "NarrateHTTP",
            dependencies: [
                "NarrateModel", "NarrateReport", "NarrateApp", "NarrateAPI",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "OpenAPIRuntime", package: "swift-openapi-runtime"),
                .product(name: "OpenAPIHummingbird", package: "swift-openapi-hummingbird"),
                .product(name: "HummingbirdCore", package: "hummingbird"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOHTTPTypes", package: "swift-nio-extras"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ]
        ),
        .target(
            name: "NarrateDaemon",
            dependencies: [
                "NarrateModel", "NarrateReport", "NarratePlatform", "NarrateStore", "NarrateApp", "NarrateHTTP",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "UnixSignals", package: "swift-service-lifecycle"),
            ]
        ),
        .target(
            name: "NarrateCLI",
            dependencies: [
                "NarrateModel", "NarrateConfig", "NarrateReport", "NarrateTargets", "NarrateStore", "NarratePostgres", "NarrateDelivery", "NarrateApp",
                "NarrateHTTP", "NarrateDaemon", "NarrateAPI",
                .product(name: "OpenAPIRuntime", package: "swift-openapi-runtime"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        // The executable exports no symbols: nothing looks its own symbols up, and with Swift's
        // default `-export-dynamic` every start paid for a 35,000-symbol table (the runtime's
        // `dladdr` at start walks it). docs/benchmarks.md has the figures.
        .executableTarget(name: "narrate", dependencies: ["NarrateCLI", "NarratePlatform"], linkerSettings: quietExports),
        // Test-only entry point: the same CLI with a scaled clock and a short retry base
        // (docs/architecture.md), so a process test can run a day of cron in seconds.
        .executableTarget(name: "narrate-test-clock", dependencies: ["NarrateCLI", "NarrateModel", "NarratePlatform"], linkerSettings: quietExports),
        .systemLibrary(
            name: "CCmarkGFM",
            pkgConfig: "libcmark-gfm",
            providers: [.apt(["libcmark-gfm-dev", "libcmark-gfm-extensions-dev"])]
        ),
        // libcurl's headers (Debian: libcurl4-openssl-dev); the library itself is loaded when a
        // command first sends something (Sources/CCurl/loader.c).
        .target(name: "CCurl", linkerSettings: [.linkedLibrary("dl")]),
        .testTarget(
            name: "NarrateTests",
            dependencies: [
                "NarrateModel", "NarrateTOML", "NarrateConfig", "NarrateReport", "NarrateTargets", "NarratePlatform", "NarrateStore", "NarratePostgres", "NarrateSources", "NarrateDelivery", "NarrateApp", "NarrateHTTP",
                "NarrateDaemon", "NarrateAPI",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdTesting", package: "hummingbird"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "PropertyBased", package: "swift-property-based"),
                .product(name: "Subprocess", package: "swift-subprocess"),
                .product(name: "SystemPackage", package: "swift-system"),
                .product(name: "PostgresNIO", package: "postgres-nio"),
            ],
            exclude: ["Golden"]
        ),
    ]
)
