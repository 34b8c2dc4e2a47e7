import AsyncHTTPClient
import Foundation
import GalleryKit
import GalleryS3
import NIOCore
import NIOHTTP1
import SigV4
import TestSupport

/// An S3 store on a fresh moto server with a fresh bucket.
struct MotoStore {
    let moto: MotoServer
    let store: S3Store
    let client: S3Client

    static let credentials = Credentials(accessKeyID: "testing", secretAccessKey: "testing")

    init(
        bucket: String = "gallery-test", endpoint: String? = nil, retry: RetryPolicy = RetryPolicy(),
        moto: MotoServer? = nil
    ) async throws {
        if let moto {
            self.moto = moto
        } else {
            self.moto = try await MotoServer()
        }
        client = S3Client(
            endpoint: S3Endpoint(
                bucket: bucket, region: "us-east-1", customEndpoint: URL(string: endpoint ?? self.moto.endpoint)!),
            http: HTTPClient.shared, credentials: StaticCredentials(Self.credentials), retry: retry)
        store = S3Store(client: client)
        // Create the bucket straight on moto (setup's own test covers gallery setup).
        let direct = S3Client(
            endpoint: S3Endpoint(bucket: bucket, region: "us-east-1", customEndpoint: URL(string: self.moto.endpoint)!),
            http: HTTPClient.shared, credentials: StaticCredentials(Self.credentials))
        let configuration = GalleryConfiguration(publicURL: "http://127.0.0.1")
        _ = try await BucketSetup(
            client: direct, publicPaths: configuration.publicPaths, uploadPrefix: configuration.uploadPrefix
        ).run(notifyURL: nil)
    }
}
