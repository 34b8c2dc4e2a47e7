import Crypto
import Foundation
import NIOCore
import NIOHTTP1
import SigV4

/// An S3 answer: status, headers, body.
struct S3Response: Sendable {
    let status: Int
    let headers: HTTPHeaders
    let body: Data
}
