import Foundation
import GalleryS3
import Testing

struct S3EndpointTests {
    @Test func awsIsVirtualHostedAndCustomEndpointsArePathStyle() {
        let aws = S3Endpoint(bucket: "my-gallery", region: "eu-central-1")
        #expect(!aws.pathStyle)
        #expect(aws.postURL == "https://my-gallery.s3.eu-central-1.amazonaws.com")
        #expect(aws.websiteURL == "http://my-gallery.s3-website.eu-central-1.amazonaws.com")
        #expect(
            S3Endpoint(bucket: "b", region: "us-east-1").websiteURL == "http://b.s3-website-us-east-1.amazonaws.com")
        // Dotted names cannot be virtual-hosted over TLS.
        #expect(S3Endpoint(bucket: "photos.example.com", region: "us-east-1").pathStyle)

        let minio = S3Endpoint(
            bucket: "gallery", region: "us-east-1", customEndpoint: URL(string: "http://127.0.0.1:9000")!)
        #expect(minio.pathStyle)
        #expect(minio.postURL == "http://127.0.0.1:9000/gallery")
        let virtual = S3Endpoint(
            bucket: "gallery", region: "auto", customEndpoint: URL(string: "https://account.r2.example")!,
            pathStyle: false)
        #expect(virtual.postURL == "https://gallery.account.r2.example")
    }
}
