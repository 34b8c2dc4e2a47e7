import Crypto
import Foundation
import NIOCore
import NIOHTTP1
import SigV4

/// Keeps one `RequestSigner` per credentials, so the daily signing key is derived once.
final class SignerCache: Sendable {
    private let lock = NSLock()
    nonisolated(unsafe) private var signers: [String: [Credentials: RequestSigner]] = [:]

    func signer(for credentials: Credentials, region: String, service: String) -> RequestSigner {
        lock.withLock {
            if let signer = signers[service]?[credentials] { return signer }
            // Old credentials are never used again once refreshed.
            signers[service] = [:]
            let signer = RequestSigner(credentials: credentials, region: region, service: service)
            signers[service]?[credentials] = signer
            return signer
        }
    }
}
