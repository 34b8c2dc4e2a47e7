import Crypto
public import Foundation

/// Signs and checks the gallery's capability links (invites, uploaders' manage links, the review
/// page's session and form tokens) with HMAC-SHA256 under one secret. Pure.
///
/// A signature covers a purpose and fields joined by newlines, so a signature made for one purpose
/// never passes as another's. Signatures are compared in constant time.
public struct LinkSigner: Sendable {
    private let secret: Data

    public init(secret: Data) {
        self.secret = secret
    }

    private var key: SymmetricKey { SymmetricKey(data: secret) }

    /// The signature of `fields` for `purpose`: 43 characters of unpadded base64url.
    public func signature(_ purpose: String, _ fields: [String]) -> String {
        let message = ([purpose] + fields).joined(separator: "\n")
        let mac = HMAC<SHA256>.authenticationCode(for: Data(message.utf8), using: key)
        return Self.base64URL(Data(mac))
    }

    /// Whether `signature` is the signature of `fields` for `purpose`.
    public func verify(_ signature: String, _ purpose: String, _ fields: [String]) -> Bool {
        guard let given = Self.data(base64URL: signature) else { return false }
        let message = ([purpose] + fields).joined(separator: "\n")
        return HMAC<SHA256>.isValidAuthenticationCode(given, authenticating: Data(message.utf8), using: key)
    }

    /// Unpadded base64url of `data`.
    public static func base64URL(_ data: Data) -> String {
        data.base64EncodedString().replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
    }

    /// The bytes of unpadded base64url `text`, or nil when it is not that.
    public static func data(base64URL text: String) -> Data? {
        let alphabet = Set("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_".utf8)
        guard text.utf8.count <= 512, text.utf8.allSatisfy(alphabet.contains) else { return nil }
        var base64 = text.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        base64 += String(repeating: "=", count: (4 - base64.utf8.count % 4) % 4)
        return Data(base64Encoded: base64)
    }
}
