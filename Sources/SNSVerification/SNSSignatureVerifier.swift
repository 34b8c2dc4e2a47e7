import Crypto
public import Foundation
import SwiftASN1
import X509
import _CryptoExtras

/// Checks that SNS messages come from SNS: the signature (SignatureVersion 1: SHA1withRSA, 2:
/// SHA256withRSA) over the message's fields, with the public key of the certificate at
/// `SigningCertURL`, which must be an https `sns.<region>.amazonaws.com` URL. Certificates are fetched
/// once and cached (bounded); a certificate that is not currently valid is refused.
public actor SNSSignatureVerifier {
    /// Why a message was refused.
    public struct Failure: Error, Sendable, Hashable, CustomStringConvertible {
        public let description: String
    }

    private let fetch: @Sendable (String) async throws -> Data
    private let now: @Sendable () -> Date
    private var keys: [String: _RSA.Signing.PublicKey] = [:]
    private let maximumCached = 32
    /// Certificates fetched so far (cache misses).
    public private(set) var fetches = 0

    /// `fetch` downloads a certificate's PEM from a trusted URL (it is only ever called with one).
    public init(
        now: @escaping @Sendable () -> Date = { Date() }, fetch: @escaping @Sendable (String) async throws -> Data
    ) {
        self.fetch = fetch
        self.now = now
    }

    /// Returns when `message` carries a valid SNS signature; throws `Failure` otherwise.
    public func verify(_ message: SNSMessage) async throws {
        guard SNSMessage.isTrustedCertificateURL(message.signingCertURL) else {
            throw Failure(description: "SigningCertURL must be https on sns.<region>.amazonaws.com.")
        }
        let key = try await publicKey(at: message.signingCertURL)
        let signature = _RSA.Signing.RSASignature(rawRepresentation: message.signature)
        let text = Data(message.stringToSign.utf8)
        let valid: Bool
        switch message.signatureVersion {
        case "1":
            valid = key.isValidSignature(signature, for: Insecure.SHA1.hash(data: text), padding: .insecurePKCS1v1_5)
        case "2":
            valid = key.isValidSignature(signature, for: SHA256.hash(data: text), padding: .insecurePKCS1v1_5)
        default:
            throw Failure(description: "Unknown SignatureVersion '\(message.signatureVersion)'.")
        }
        guard valid else { throw Failure(description: "The SNS message's signature does not match.") }
    }

    private func publicKey(at url: String) async throws -> _RSA.Signing.PublicKey {
        if let key = keys[url] { return key }
        fetches += 1
        let pem: Data
        do {
            pem = try await fetch(url)
        } catch {
            throw Failure(description: "Cannot fetch the SNS signing certificate: \(error)")
        }
        let certificate: Certificate
        do {
            certificate = try Certificate(pemEncoded: String(decoding: pem, as: UTF8.self))
        } catch {
            throw Failure(description: "The SNS signing certificate is not a PEM certificate.")
        }
        let date = now()
        guard certificate.notValidBefore <= date, date <= certificate.notValidAfter else {
            throw Failure(description: "The SNS signing certificate is not valid now.")
        }
        guard let key = _RSA.Signing.PublicKey(certificate.publicKey) else {
            throw Failure(description: "The SNS signing certificate's key is not RSA.")
        }
        if keys.count >= maximumCached { keys.removeAll() }
        keys[url] = key
        return key
    }
}
