public import AsyncHTTPClient
public import Foundation
public import Logging
public import SigV4

/// The AWS SDKs' credential chain: environment, shared profile files, container credentials, EC2
/// instance metadata (IMDSv2). The first source that has credentials wins; temporary credentials are
/// refreshed five minutes before they expire.
public actor CredentialChain: CredentialProvider {
    private let sources: [any CredentialSource]
    private let clock: @Sendable () -> Date
    private var cached: ExpiringCredentials?
    private var refreshing: Task<ExpiringCredentials, any Error>?
    private let logger: Logger

    /// How long before expiry credentials are refreshed.
    public static let refreshMargin: TimeInterval = 300

    /// The standard chain, reading settings from `environment` and talking to metadata services with `client`.
    public init(
        environment: [String: String], client: HTTPClient, logger: Logger = Logger(label: "gallery.credentials"),
        clock: @escaping @Sendable () -> Date = { Date() }
    ) {
        self.sources = [
            EnvironmentCredentials(environment: environment),
            ProfileCredentials(environment: environment),
            ContainerCredentials(environment: environment, client: client),
            InstanceMetadataCredentials(environment: environment, client: client),
        ]
        self.clock = clock
        self.logger = logger
    }

    init(sources: [any CredentialSource], clock: @escaping @Sendable () -> Date) {
        self.sources = sources
        self.clock = clock
        self.logger = Logger(label: "gallery.credentials")
    }

    public func credentials() async throws -> Credentials {
        try await current().credentials
    }

    /// The current credentials with their source and expiry.
    public func current() async throws -> ExpiringCredentials {
        if let cached, !needsRefresh(cached) { return cached }
        if let refreshing { return try await refreshing.value }
        let task = Task { try await self.resolve() }
        refreshing = task
        defer { refreshing = nil }
        do {
            let fresh = try await task.value
            cached = fresh
            return fresh
        } catch {
            // Still-valid old credentials beat none while a metadata service hiccups.
            if let cached, let expiration = cached.expiration, expiration > clock() { return cached }
            throw error
        }
    }

    private func needsRefresh(_ credentials: ExpiringCredentials) -> Bool {
        guard let expiration = credentials.expiration else { return false }
        return expiration.timeIntervalSince(clock()) < Self.refreshMargin
    }

    private func resolve() async throws -> ExpiringCredentials {
        var tried: [String] = []
        for source in sources {
            if let found = try await source.load() {
                logger.debug(
                    "loaded credentials",
                    metadata: ["source": "\(found.source)", "accessKeyID": "\(found.credentials.accessKeyID)"])
                return found
            }
            tried.append(source.name)
        }
        throw CredentialError(
            "No AWS credentials found (tried \(tried.joined(separator: ", "))). Set AWS_ACCESS_KEY_ID and "
                + "AWS_SECRET_ACCESS_KEY, or AWS_PROFILE with ~/.aws/credentials, or run where an instance role is attached."
        )
    }
}
