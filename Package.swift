// swift-tools-version:6.0
import PackageDescription

let package = Package(
    name: "SkillChain",
    platforms: [.macOS(.v13)],
    products: [
        .executable(name: "skillchain", targets: ["skillchain"]),
        .library(name: "SkillChainCore", targets: ["SkillChainCore"]),
        .library(name: "SkillChainServer", targets: ["SkillChainServer"]),
    ],
    dependencies: [
        .package(url: "https://github.com/vapor/vapor.git", from: "4.122.3"),
        .package(url: "https://github.com/vapor/fluent.git", from: "4.13.0"),
        .package(url: "https://github.com/vapor/fluent-sqlite-driver.git", from: "4.9.0"),
        .package(url: "https://github.com/vapor/fluent-postgres-driver.git", from: "2.14.0"),
        .package(url: "https://github.com/vapor/leaf.git", from: "4.5.2"),
        .package(url: "https://github.com/apple/swift-crypto.git", from: "4.5.2"),
        .package(url: "https://github.com/apple/swift-nio.git", from: "2.101.2"),
        .package(url: "https://github.com/apple/swift-nio-ssl.git", from: "2.37.6"),
        .package(url: "https://github.com/apple/swift-metrics.git", from: "2.4.1"),
        .package(url: "https://github.com/swift-server/swift-prometheus.git", from: "2.4.1"),
    ],
    targets: [
        .target(
            name: "SkillChainCore",
            dependencies: [.product(name: "Crypto", package: "swift-crypto")],
            resources: [.copy("Resources")]
        ),
        .target(
            name: "SkillChainServer",
            dependencies: [
                "SkillChainCore",
                .product(name: "Vapor", package: "vapor"),
                .product(name: "Fluent", package: "fluent"),
                .product(name: "FluentSQLiteDriver", package: "fluent-sqlite-driver"),
                .product(name: "FluentPostgresDriver", package: "fluent-postgres-driver"),
                .product(name: "Leaf", package: "leaf"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "Prometheus", package: "swift-prometheus"),
            ]
        ),
        .executableTarget(name: "skillchain", dependencies: ["SkillChainServer"]),
        .testTarget(name: "SkillChainCoreTests", dependencies: ["SkillChainCore"]),
        .testTarget(
            name: "SkillChainServerTests",
            dependencies: [
                "SkillChainServer",
                .product(name: "VaporTesting", package: "vapor"),
            ]
        ),
    ]
)
