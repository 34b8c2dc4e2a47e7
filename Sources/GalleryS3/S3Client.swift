public import AsyncHTTPClient
import Crypto
import Foundation
public import Logging
import NIOCore
import NIOHTTP1
import SigV4

/// Signed HTTP requests to S3 (and SNS): SigV4 header signing, retries with backoff and jitter,
/// per-request timeouts, a bounded number of requests in flight, S3 XML errors turned into `S3Error`.
public final class S3Client: Sendable {
    public let endpoint: S3Endpoint
    let http: HTTPClient
    let credentials: any CredentialProvider
    let retry: RetryPolicy
    let limiter: ConcurrencyLimiter
    let logger: Logger
    private let signers = SignerCache()

    /// Creates a client. `maximumInFlight` bounds concurrent requests.
    public init(
        endpoint: S3Endpoint, http: HTTPClient, credentials: any CredentialProvider, retry: RetryPolicy = RetryPolicy(),
        maximumInFlight: Int = 64, logger: Logger = Logger(label: "gallery.s3")
    ) {
        self.endpoint = endpoint
        self.http = http
        self.credentials = credentials
        self.retry = retry
        self.limiter = ConcurrencyLimiter(limit: maximumInFlight)
        self.logger = logger
    }

    /// The signer for the current credentials (its signing key cached per day).
    func signer(service: String = "s3") async throws -> RequestSigner {
        let current = try await credentials.credentials()
        return signers.signer(for: current, region: endpoint.region, service: service)
    }

    /// Sends one S3 request for `key` (nil: the bucket), retrying what is worth retrying.
    /// Statuses in `accept` are returned as they are; others become `S3Error`.
    func send(
        _ operation: String, method: HTTPMethod, key: String?, query: [(name: String, value: String)] = [],
        headers: [(name: String, value: String)] = [], body: Data? = nil, accept: Set<Int> = []
    ) async throws -> S3Response {
        let url = endpoint.url(key: key, query: query)
        return try await sendSigned(
            operation, method: method, url: url, host: endpoint.origin.host, path: endpoint.path(key: key),
            query: query,
            headers: headers, body: body, service: "s3", accept: accept)
    }

    func sendSigned(
        _ operation: String, method: HTTPMethod, url: String, host: String, path: String,
        query: [(name: String, value: String)], headers: [(name: String, value: String)], body: Data?, service: String,
        accept: Set<Int>
    ) async throws -> S3Response {
        let payloadHash = Hashing.sha256Hex(body ?? Data())
        var attempt = 0
        while true {
            attempt += 1
            do {
                let response = try await limiter.run {
                    let signer = try await self.signer(service: service)
                    let signedHeaders = [("host", host)] + headers
                    let added = signer.sign(
                        method: method.rawValue, path: path, query: query, headers: signedHeaders,
                        payloadHash: payloadHash)
                    var request = HTTPClientRequest(url: url)
                    request.method = method
                    for (name, value) in headers + added { request.headers.add(name: name, value: value) }
                    if let body { request.body = .bytes(ByteBuffer(bytes: body)) }
                    let answer = try await self.http.execute(request, timeout: .init(self.retry.timeout))
                    let collected = try await answer.body.collect(upTo: 256 * 1024 * 1024)
                    return S3Response(
                        status: Int(answer.status.code), headers: answer.headers,
                        body: Data(collected.readableBytesView))
                }
                if (200..<300).contains(response.status) || accept.contains(response.status) { return response }
                let error = Self.error(from: response, operation: operation)
                guard error.isRetryable, attempt < retry.maximumAttempts else { throw error }
                logger.notice(
                    "retrying",
                    metadata: ["operation": "\(operation)", "code": "\(error.code)", "attempt": "\(attempt)"])
            } catch let error as S3Error {
                throw error
            } catch let error as CredentialError {
                throw error
            } catch is CancellationError {
                throw CancellationError()
            } catch {
                // No answer. Refused or unresolvable: a few quick tries, then say so; a reset or a
                // timeout may pass: the full backoff.
                let failure = ConnectionFailure(error)
                let cause = "\(failure.describe(error)) at \(Self.origin(of: url))"
                let attempts = failure.isLasting ? retry.maximumAttemptsUnreachable : retry.maximumAttempts
                guard attempt < attempts else {
                    throw S3Error(code: "ConnectionFailed", message: cause, status: 0, operation: operation)
                }
                logger.notice(
                    "retrying after a transport error",
                    metadata: ["operation": "\(operation)", "error": "\(cause)", "attempt": "\(attempt)"])
                if failure.isLasting {
                    try await Task.sleep(for: retry.unreachableDelay)
                    continue
                }
            }
            try await Task.sleep(for: retry.delay(after: attempt))
        }
    }

    /// `scheme://host:port` of `url`, to name the endpoint in an error.
    static func origin(of url: String) -> String {
        guard let parsed = URL(string: url), let scheme = parsed.scheme, let host = parsed.host else { return url }
        return "\(scheme)://\(host)" + (parsed.port.map { ":\($0)" } ?? "")
    }

    /// S3's XML error document as an `S3Error` (HEAD answers have no body: the status speaks).
    static func error(from response: S3Response, operation: String) -> S3Error {
        let document = try? S3XML.decode(S3XML.ErrorDocument.self, from: response.body)
        let code =
            document?.code
            ?? {
                switch response.status {
                case 403: "AccessDenied"
                case 404: "NotFound"
                case 500: "InternalError"
                case 503: "SlowDown"
                default: "HTTP\(response.status)"
                }
            }()
        return S3Error(
            code: code,
            message: document?.message ?? String(decoding: response.body.prefix(300), as: UTF8.self),
            status: response.status, operation: operation,
            requestID: document?.requestId ?? response.headers.first(name: "x-amz-request-id"))
    }

    /// The base64 MD5 S3 wants in `Content-MD5` for tagging, CORS and other configuration bodies.
    static func contentMD5(_ body: Data) -> String {
        Data(Insecure.MD5.hash(data: body)).base64EncodedString()
    }
}
