import Foundation
import GalleryKit
import NIOHTTP1
import SigV4

/// `gallery setup`: makes a bucket ready to host the gallery, idempotently. Each step replaces the
/// bucket's configuration of that kind with the gallery's, so running it again changes nothing.
public struct BucketSetup: Sendable {
    public let client: S3Client
    /// Key prefixes (ending in `/`) and exact keys visitors may read; nothing else becomes public.
    public let publicPaths: [String]
    /// The upload prefix notifications are filtered to.
    public let uploadPrefix: String
    /// The origins of the pages whose script posts uploads to the bucket: the gallery's (the bucket's
    /// website, or whatever fronts it) and the service's (the invite page), each once. Only they may POST.
    public let uploadOrigins: [String]

    public init(client: S3Client, publicPaths: [String], uploadPrefix: String, uploadOrigins: [String] = []) {
        self.client = client
        self.publicPaths = publicPaths
        self.uploadPrefix = uploadPrefix
        self.uploadOrigins = ContentSecurityPolicy.origins(uploadOrigins)
    }

    /// Reads from any origin; uploads (POST) from `uploadOrigins` only, with the ETag and Retry-After readable. The
    /// GET rule comes first: S3 applies the first rule that matches a request's origin and method.
    public var corsConfiguration: String {
        let read =
            "<CORSRule><AllowedOrigin>*</AllowedOrigin><AllowedMethod>GET</AllowedMethod>"
            + "<AllowedMethod>HEAD</AllowedMethod><AllowedHeader>*</AllowedHeader>"
            + "<MaxAgeSeconds>600</MaxAgeSeconds></CORSRule>"
        guard !uploadOrigins.isEmpty else { return read }
        return read + "<CORSRule>"
            + uploadOrigins.map { "<AllowedOrigin>\(MarkupEscaping.escape($0))</AllowedOrigin>" }.joined()
            + "<AllowedMethod>POST</AllowedMethod><AllowedHeader>*</AllowedHeader><ExposeHeader>ETag</ExposeHeader>"
            + "<ExposeHeader>Retry-After</ExposeHeader>"
            + "<MaxAgeSeconds>600</MaxAgeSeconds></CORSRule>"
    }

    /// What setup did, step by step, for the operator to read.
    public struct Report: Sendable {
        public var steps: [String] = []
        public var websiteURL = ""
        public var topicARN: String?
    }

    /// Runs every step; with `notifyURL`, wires ObjectCreated events under the upload prefix through SNS
    /// to it, handing the topic to `recordTopic` before subscribing (the service accepts only known topics).
    public func run(notifyURL: String?, recordTopic: (String) async throws -> Void = { _ in }) async throws -> Report {
        var report = Report()
        report.steps.append(try await createBucket())
        try await putConfiguration(
            "PutPublicAccessBlock", "publicAccessBlock",
            xml(
                "PublicAccessBlockConfiguration",
                "<BlockPublicAcls>true</BlockPublicAcls><IgnorePublicAcls>true</IgnorePublicAcls>"
                    + "<BlockPublicPolicy>false</BlockPublicPolicy><RestrictPublicBuckets>false</RestrictPublicBuckets>"
            ))
        report.steps.append("public access: ACLs blocked, the bucket policy below allowed")
        try await putConfiguration(
            "PutBucketPolicy", "policy", Data(bucketPolicy.utf8), contentType: "application/json")
        report.steps.append("bucket policy: public read of \(publicPaths.joined(separator: ", ")) only")
        try await putConfiguration(
            "PutBucketWebsite", "website",
            xml("WebsiteConfiguration", "<IndexDocument><Suffix>index.html</Suffix></IndexDocument>"))
        report.steps.append("static website hosting with index.html")
        try await putConfiguration("PutBucketCors", "cors", xml("CORSConfiguration", corsConfiguration))
        report.steps.append(
            "CORS: GET and HEAD from any origin"
                + (uploadOrigins.isEmpty ? "" : "; upload POSTs from \(uploadOrigins.joined(separator: " and "))"))
        if let notifyURL {
            let topic = try await wireNotifications(to: notifyURL, recordTopic: recordTopic)
            report.topicARN = topic
            report.steps.append(
                "notifications: ObjectCreated under \(uploadPrefix) → SNS \(topic) → \(Self.redacted(notifyURL))")
        }
        report.websiteURL = client.endpoint.websiteURL
        return report
    }

    /// The policy granting anonymous `s3:GetObject` on the gallery's public paths.
    public var bucketPolicy: String {
        let bucket = client.endpoint.bucket
        let resources = publicPaths.map { "\"arn:aws:s3:::\(bucket)/\($0.hasSuffix("/") ? $0 + "*" : $0)\"" }
        return """
            {"Version":"2012-10-17","Statement":[{"Sid":"BucketGalleryPublicRead","Effect":"Allow","Principal":"*",\
            "Action":"s3:GetObject","Resource":[\(resources.joined(separator: ","))]}]}
            """
    }

    private func createBucket() async throws -> String {
        let region = client.endpoint.region
        let body =
            region == "us-east-1"
            ? nil
            : xml(
                "CreateBucketConfiguration", "<LocationConstraint>\(MarkupEscaping.escape(region))</LocationConstraint>"
            )
        let response = try await client.send(
            "CreateBucket", method: .PUT, key: nil, headers: body == nil ? [] : [("content-type", "application/xml")],
            body: body, accept: [409])
        if response.status == 409 {
            let error = S3Client.error(from: response, operation: "CreateBucket")
            guard error.code == "BucketAlreadyOwnedByYou" else { throw error }
            return "bucket \(client.endpoint.bucket) already exists (yours)"
        }
        return "created bucket \(client.endpoint.bucket) in \(region)"
    }

    private func putConfiguration(
        _ operation: String, _ subresource: String, _ body: Data, contentType: String = "application/xml"
    )
        async throws
    {
        _ = try await client.send(
            operation, method: .PUT, key: nil, query: [(subresource, "")],
            headers: [("content-md5", S3Client.contentMD5(body)), ("content-type", contentType)], body: body)
    }

    private func wireNotifications(
        to notifyURL: String, recordTopic: (String) async throws -> Void
    ) async throws -> String {
        let bucket = client.endpoint.bucket
        let sns = SNSClient(client: client)
        let topic = try await sns.call(
            "CreateTopic", ["Name": "bucketgallery-\(bucket.replacingOccurrences(of: ".", with: "-"))"],
            result: "TopicArn")
        let account = topic.split(separator: ":").dropFirst(4).first.map(String.init) ?? ""
        let topicPolicy = """
            {"Version":"2012-10-17","Statement":[{"Sid":"S3Publishes","Effect":"Allow",\
            "Principal":{"Service":"s3.amazonaws.com"},"Action":"SNS:Publish","Resource":"\(topic)",\
            "Condition":{"ArnLike":{"aws:SourceArn":"arn:aws:s3:::\(bucket)"},"StringEquals":{"aws:SourceAccount":"\(account)"}}}]}
            """
        _ = try await sns.call(
            "SetTopicAttributes", ["TopicArn": topic, "AttributeName": "Policy", "AttributeValue": topicPolicy],
            result: nil)
        // Recorded before subscribing: the service checks the topic of the confirmation it is sent.
        try await recordTopic(topic)
        let scheme = URL(string: notifyURL)?.scheme == "https" ? "https" : "http"
        let endpoint =
            notifyURL.hasSuffix("/events") || notifyURL.contains("/events?") ? notifyURL : notifyURL + "/events"
        _ = try await sns.call(
            "Subscribe",
            ["TopicArn": topic, "Protocol": scheme, "Endpoint": endpoint, "ReturnSubscriptionArn": "true"],
            result: nil)
        try await putConfiguration(
            "PutBucketNotificationConfiguration", "notification",
            xml(
                "NotificationConfiguration",
                "<TopicConfiguration><Id>bucketgallery-uploads</Id><Topic>\(MarkupEscaping.escape(topic))</Topic>"
                    + "<Event>s3:ObjectCreated:*</Event><Filter><S3Key><FilterRule><Name>prefix</Name>"
                    + "<Value>\(MarkupEscaping.escape(uploadPrefix))</Value></FilterRule></S3Key></Filter></TopicConfiguration>"
            ))
        return topic
    }

    private func xml(_ root: String, _ inner: String) -> Data {
        Data(
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?><\(root) xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\">\(inner)</\(root)>"
                .utf8)
    }

    /// The URL without its query (where the token is).
    static func redacted(_ url: String) -> String {
        url.split(separator: "?", maxSplits: 1).first.map { String($0) + (url.contains("?") ? "?…" : "") } ?? url
    }
}
