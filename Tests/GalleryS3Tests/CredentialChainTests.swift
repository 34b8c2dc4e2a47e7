import AsyncHTTPClient
import Foundation
import GalleryS3
import NIOCore
import NIOHTTP1
import SigV4
import TestSupport
import Testing

/// A clock the test moves.
final class TestClock: @unchecked Sendable {
    private let lock = NSLock()
    private var now = Date()
    func read() -> Date { lock.withLock { now } }
    func set(_ date: Date) { lock.withLock { now = date } }
}

struct CredentialChainTests {
    /// Metadata services are always pointed at loopback, never at the real link-local addresses.
    static let offline = ["AWS_EC2_METADATA_DISABLED": "true"]

    func chain(_ environment: [String: String], clock: TestClock = TestClock()) -> CredentialChain {
        CredentialChain(environment: environment, client: HTTPClient.shared) { clock.read() }
    }

    @Test func environmentComesFirst() async throws {
        let directory = try Fixtures.temporaryDirectory()
        let credentialsFile = directory.appendingPathComponent("credentials")
        try "[default]\naws_access_key_id = AKIDFILE\naws_secret_access_key = file-secret\n".write(
            to: credentialsFile, atomically: true, encoding: .utf8)
        let found = try await chain(
            Self.offline.merging([
                "AWS_ACCESS_KEY_ID": "AKIDENV", "AWS_SECRET_ACCESS_KEY": "env-secret", "AWS_SESSION_TOKEN": "env-token",
                "AWS_SHARED_CREDENTIALS_FILE": credentialsFile.path,
            ]) { $1 }
        ).current()
        #expect(
            found.credentials
                == Credentials(accessKeyID: "AKIDENV", secretAccessKey: "env-secret", sessionToken: "env-token"))
        #expect(found.source == "environment")
    }

    @Test func profileFilesWithANamedProfile() async throws {
        let directory = try Fixtures.temporaryDirectory()
        let credentialsFile = directory.appendingPathComponent("credentials")
        let configFile = directory.appendingPathComponent("config")
        try """
        # comment
        [default]
        aws_access_key_id = AKIDDEFAULT
        aws_secret_access_key = default-secret

        [gallery]
        aws_access_key_id = AKIDGALLERY
        aws_secret_access_key = gallery-secret
        """.write(to: credentialsFile, atomically: true, encoding: .utf8)
        try """
        [profile gallery]
        region = eu-west-2
        [profile other]
        aws_access_key_id = AKIDCONFIG
        aws_secret_access_key = config-secret
        """.write(to: configFile, atomically: true, encoding: .utf8)
        let environment = Self.offline.merging([
            "AWS_SHARED_CREDENTIALS_FILE": credentialsFile.path, "AWS_CONFIG_FILE": configFile.path,
        ]) { $1 }
        let gallery = try await chain(environment.merging(["AWS_PROFILE": "gallery"]) { $1 }).current()
        #expect(gallery.credentials.accessKeyID == "AKIDGALLERY")
        #expect(gallery.source == "profile gallery")
        #expect(
            SharedAWSConfig.region(environment: environment.merging(["AWS_PROFILE": "gallery"]) { $1 }) == "eu-west-2")
        #expect(try await chain(environment).current().credentials.accessKeyID == "AKIDDEFAULT")
        #expect(
            try await chain(environment.merging(["AWS_PROFILE": "other"]) { $1 }).current().credentials.accessKeyID
                == "AKIDCONFIG")
    }

    @Test func nothingConfiguredSaysWhatWasTriedAndLeaksNothing() async throws {
        let environment = Self.offline.merging([
            "AWS_SHARED_CREDENTIALS_FILE": "/nonexistent/credentials", "AWS_CONFIG_FILE": "/nonexistent/config",
        ]) { $1 }
        await #expect {
            _ = try await chain(environment).current()
        } throws: { error in
            let text = "\(error)"
            return text.contains("environment") && text.contains("profile files") && text.contains("instance metadata")
        }
    }

    @Test func instanceMetadataWithIMDSv2TokensRefreshingBeforeExpiry() async throws {
        let metadata = try await PeerServer("fake_metadata.py", arguments: ["--lifetime", "900"])
        let clock = TestClock()
        let chain = chain(
            [
                "AWS_EC2_METADATA_SERVICE_ENDPOINT": metadata.url, "AWS_SHARED_CREDENTIALS_FILE": "/nonexistent",
                "AWS_CONFIG_FILE": "/nonexistent",
            ], clock: clock)
        let first = try await chain.current()
        #expect(first.credentials.accessKeyID == "ASIAFAKE0001")
        #expect(first.credentials.sessionToken == "fake-session-token-1")
        #expect(first.source == "instance metadata (role gallery-role)")
        let expiration = try #require(first.expiration)
        // The peer stamps the expiry from its own wall clock, so the test clock is set relative to
        // that stamp (a fetch slowed by a loaded machine must not move the refresh point).
        // More than five minutes left: cached, no new request.
        clock.set(expiration.addingTimeInterval(-600))
        #expect(try await chain.credentials().accessKeyID == "ASIAFAKE0001")
        // Within five minutes of expiry: refreshed before it runs out.
        clock.set(expiration.addingTimeInterval(-280))
        #expect(try await chain.credentials().accessKeyID == "ASIAFAKE0002")
        let stats = try await metadata.stats()
        #expect(stats["token"] == 2)
        #expect(stats["credentials"] == 2)
        #expect(stats["refused"] == 0, "every metadata request carried the IMDSv2 token")
        print("IMDSv2: \(stats["token"]!) tokens, \(stats["credentials"]!) credential fetches, refreshed before expiry")
    }

    @Test func containerCredentialsWithTheirAuthorizationToken() async throws {
        let metadata = try await PeerServer("fake_metadata.py", arguments: ["--container-token", "let-me-in"])
        let found = try await chain(
            Self.offline.merging([
                "AWS_CONTAINER_CREDENTIALS_FULL_URI": metadata.url + "/creds",
                "AWS_CONTAINER_AUTHORIZATION_TOKEN": "let-me-in", "AWS_SHARED_CREDENTIALS_FILE": "/nonexistent",
                "AWS_CONFIG_FILE": "/nonexistent",
            ]) { $1 }
        ).current()
        #expect(found.credentials.accessKeyID == "ASIAFAKE0001")
        #expect(found.source == "container credentials")
        await #expect(throws: CredentialError.self) {
            _ = try await chain(
                Self.offline.merging([
                    "AWS_CONTAINER_CREDENTIALS_FULL_URI": metadata.url + "/creds",
                    "AWS_CONTAINER_AUTHORIZATION_TOKEN": "wrong", "AWS_SHARED_CREDENTIALS_FILE": "/nonexistent",
                    "AWS_CONFIG_FILE": "/nonexistent",
                ]) { $1 }
            ).current()
        }
    }
}
