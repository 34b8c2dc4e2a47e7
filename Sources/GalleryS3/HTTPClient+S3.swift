public import AsyncHTTPClient
import NIOCore

extension HTTPClient {
    /// The client S3 requests go through. Unlike `HTTPClient.shared`, its connection pool does not
    /// retry a failed connection until the request's deadline (30 s a request, so a wrong endpoint
    /// took minutes to report): `S3Client` sees the failure at once and decides, a few quick tries for
    /// a refused connection or a name that does not resolve, the full backoff for the rest.
    /// Never shut down, like `shared`: it lives as long as the process.
    public static let s3: HTTPClient = {
        var configuration = HTTPClient.Configuration.singletonConfiguration
        configuration.connectionPool.retryConnectionEstablishment = false
        configuration.timeout.connect = .seconds(10)
        return HTTPClient(eventLoopGroup: HTTPClient.defaultEventLoopGroup, configuration: configuration)
    }()
}
