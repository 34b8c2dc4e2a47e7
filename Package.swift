// swift-tools-version:6.1
import PackageDescription

let strictSettings: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny"),
    .enableUpcomingFeature("MemberImportVisibility"),
    .enableUpcomingFeature("InternalImportsByDefault"),
]

let package = Package(
    name: "BucketGallery",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "gallery", targets: ["gallery"]),
        .library(name: "GalleryKit", targets: ["GalleryKit"]),
        .library(name: "GalleryS3", targets: ["GalleryS3"]),
        .library(name: "GalleryServer", targets: ["GalleryServer"]),
        .library(name: "SigV4", targets: ["SigV4"]),
        .library(name: "ImageProcessing", targets: ["ImageProcessing"]),
        .executable(name: "gallery-fuzz", targets: ["GalleryFuzz"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-crypto", from: "3.12.3"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1"),
        .package(url: "https://github.com/hummingbird-project/swift-mustache", from: "2.1.1"),
        .package(url: "https://github.com/vapor/multipart-kit", from: "4.7.1"),
        .package(url: "https://github.com/swift-server/async-http-client", from: "1.37.0"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", from: "2.13.0"),
        .package(url: "https://github.com/apple/swift-nio", from: "2.101.2"),
        .package(url: "https://github.com/apple/swift-nio-extras", from: "1.35.2"),
        .package(url: "https://github.com/apple/swift-http-types", from: "1.8.0"),
        .package(url: "https://github.com/CoreOffice/XMLCoder", from: "0.18.2"),
        .package(url: "https://github.com/apple/swift-certificates", from: "1.21.1"),
        .package(url: "https://github.com/apple/swift-asn1", from: "1.7.4"),
        .package(url: "https://github.com/apple/swift-metrics", from: "2.13.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus", from: "2.4.1"),
        .package(url: "https://github.com/ordo-one/benchmark", from: "1.38.1", traits: ["MallocInterposer"]),
    ],
    targets: [
        .target(
            name: "SigV4",
            dependencies: [.product(name: "Crypto", package: "swift-crypto")],
            swiftSettings: strictSettings
        ),
        // libvips (Debian: libvips-dev; macOS: brew install vips). The shim opens the library at run
        // time, so `gallery` starts without it and says in one sentence what to install; the system
        // library target brings libvips' headers to CVipsCheck, which holds the shim's declarations
        // to them when the tests build.
        .systemLibrary(
            name: "CVips",
            pkgConfig: "vips",
            providers: [.apt(["libvips-dev"]), .brew(["vips"])]
        ),
        .target(
            name: "CVipsShim",
            linkerSettings: [.linkedLibrary("dl", .when(platforms: [.linux]))]
        ),
        .target(
            name: "CVipsCheck",
            dependencies: ["CVips", "CVipsShim"],
            path: "Tests/CVipsCheck"
        ),
        .target(
            name: "ImageProcessing",
            dependencies: ["CVipsShim"],
            swiftSettings: strictSettings
        ),
        // `stat` through a struct of its own (its header says why).
        .target(name: "CFileStatus"),
        .target(
            name: "GalleryKit",
            dependencies: [
                "CFileStatus",
                "ImageProcessing",
                "SigV4",
                "SNSVerification",
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "CoreMetrics", package: "swift-metrics"),
                .product(name: "Mustache", package: "swift-mustache"),
            ],
            swiftSettings: strictSettings
        ),
        .target(
            name: "GalleryS3",
            dependencies: [
                "GalleryKit",
                "SigV4",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "XMLCoder", package: "XMLCoder"),
            ],
            swiftSettings: strictSettings
        ),
        .executableTarget(
            name: "GalleryFuzz",
            dependencies: ["FormDecoding", "GalleryKit", "SigV4", .product(name: "NIOCore", package: "swift-nio")],
            swiftSettings: strictSettings
        ),
        .target(
            name: "SNSVerification",
            dependencies: [
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "_CryptoExtras", package: "swift-crypto"),
                .product(name: "X509", package: "swift-certificates"),
                .product(name: "SwiftASN1", package: "swift-asn1"),
            ],
            swiftSettings: strictSettings
        ),
        .target(
            name: "FormDecoding",
            dependencies: [
                "SigV4",
                .product(name: "MultipartKit", package: "multipart-kit"),
                .product(name: "NIOCore", package: "swift-nio"),
            ],
            swiftSettings: strictSettings
        ),
        .target(
            name: "GalleryServer",
            dependencies: [
                "FormDecoding",
                "GalleryKit",
                "SigV4",
                "SNSVerification",
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTPTypes", package: "swift-nio-extras"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            swiftSettings: strictSettings
        ),
        .executableTarget(
            name: "gallery",
            dependencies: [
                "GalleryKit",
                "ImageProcessing",
                "GalleryS3",
                "GalleryServer",
                "SigV4",
                "SNSVerification",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Prometheus", package: "swift-prometheus"),
            ],
            swiftSettings: strictSettings
        ),
        .target(
            name: "TestSupport",
            dependencies: [
                "GalleryKit",
                "SigV4",
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "_CryptoExtras", package: "swift-crypto"),
                .product(name: "X509", package: "swift-certificates"),
                .product(name: "SwiftASN1", package: "swift-asn1"),
            ],
            path: "Tests/TestSupport",
            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "SigV4Tests",
            dependencies: ["SigV4", "TestSupport"],
            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "FormDecodingTests",
            dependencies: [
                "FormDecoding", "SigV4", "TestSupport", .product(name: "NIOCore", package: "swift-nio"),
            ],
            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "SNSVerificationTests",
            dependencies: ["SNSVerification", "TestSupport"],
            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "ImageProcessingTests",
            dependencies: ["CVipsCheck", "ImageProcessing", "TestSupport"],
            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "GalleryKitTests",
            dependencies: [
                "GalleryKit", "ImageProcessing", "SigV4", "SNSVerification", "TestSupport",
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "GalleryS3Tests",
            dependencies: [
                "GalleryS3",
                "GalleryKit",
                "ImageProcessing",
                "SigV4",
                "TestSupport",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
            ],
            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "GalleryServerTests",
            dependencies: [
                "GalleryKit",
                "GalleryServer",
                "SigV4",
                "SNSVerification",
                "TestSupport",
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdTesting", package: "hummingbird"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "Prometheus", package: "swift-prometheus"),
            ],
            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "EndToEndTests",
            dependencies: [
                "TestSupport",
                "GalleryKit",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
            ],
            swiftSettings: strictSettings
        ),
        .executableTarget(
            name: "GalleryBenchmarks",
            dependencies: [
                "GalleryKit",
                "ImageProcessing",
                "SigV4",
                .product(name: "Benchmark", package: "benchmark"),
            ],
            path: "Benchmarks/GalleryBenchmarks",
            plugins: [.plugin(name: "BenchmarkPlugin", package: "benchmark")]
        ),
    ]
)
