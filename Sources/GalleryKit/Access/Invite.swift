public import Foundation
import SigV4

/// An invitation to upload: who it is for (a label), until when, and whether it was revoked. Its
/// token (`id.expiry.signature`) travels in the link; the list of invites is kept by `InviteBook`.
public struct Invite: Sendable, Hashable, Codable {
    /// 16 hex digits, random.
    public var id: String
    /// What the operator wrote to remember it by (never shown to visitors).
    public var label: String
    public var createdAt: Date
    public var expiresAt: Date
    public var revoked: Bool

    public init(id: String, label: String, createdAt: Date, expiresAt: Date, revoked: Bool = false) {
        self.id = id
        self.label = label
        self.createdAt = createdAt
        self.expiresAt = expiresAt
        self.revoked = revoked
    }

    static let purpose = "invite"

    /// The token of this invite, signed.
    public func token(signer: LinkSigner) -> String {
        let expiry = String(Int(expiresAt.timeIntervalSince1970))
        return "\(id).\(expiry).\(signer.signature(Self.purpose, [id, expiry]))"
    }

    /// Why a token does not admit an upload.
    public enum Refusal: Error, Equatable, CustomStringConvertible {
        case malformed, forged, expired, revoked

        public var description: String {
            switch self {
            case .malformed, .forged: "This invite link is not valid."
            case .expired: "This invite has expired."
            case .revoked: "This invite was withdrawn."
            }
        }
    }

    /// The invite id a token names and when it expires, when its signature holds and it has not
    /// expired at `now` (revocation is the book's to say).
    public static func verify(_ token: String, signer: LinkSigner, now: Date) throws(Refusal) -> (
        id: String, expiresAt: Date
    ) {
        let parts = token.split(separator: ".", omittingEmptySubsequences: false).map(String.init)
        guard parts.count == 3, parts[0].utf8.count == 16, parts[0].utf8.allSatisfy({ $0.isHexDigit }),
            let expiry = Int(parts[1]), parts[1].utf8.count <= 12
        else { throw .malformed }
        guard signer.verify(parts[2], purpose, [parts[0], parts[1]]) else { throw .forged }
        guard Double(expiry) > now.timeIntervalSince1970 else { throw .expired }
        return (parts[0], Date(timeIntervalSince1970: Double(expiry)))
    }

    /// A fresh random id.
    static func freshID() -> String {
        var generator = SystemRandomNumberGenerator()
        return Hex.padded(generator.next(), width: 16)
    }
}

extension UInt8 {
    /// Whether the byte is an ASCII hex digit (lower case).
    var isHexDigit: Bool { (0x30...0x39).contains(self) || (0x61...0x66).contains(self) }
}
