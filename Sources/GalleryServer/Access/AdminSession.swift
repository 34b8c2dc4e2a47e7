import Foundation
import GalleryKit
import SigV4

/// The review page's sign-in: the admin token once, then a signed session cookie (12 hours), and a
/// form token (CSRF) bound to the session in every form the page posts. Both are HMACs keyed by the
/// admin token, so changing the token signs everyone out. Pure, with the time passed in.
struct AdminSession: Sendable {
    private let token: String
    private let signer: LinkSigner

    /// The cookie's name; it is sent only to `/review`.
    static let cookieName = "gallery_review"
    /// How long a sign-in lasts.
    static let lifetime: TimeInterval = 12 * 3600

    init(token: String) {
        self.token = token
        signer = LinkSigner(secret: Data(("gallery review session\n" + token).utf8))
    }

    /// Whether `given` is the admin token.
    func isToken(_ given: String) -> Bool { ConstantTime.equals(given, token) }

    /// A new session cookie's value, valid from `now` for `lifetime`.
    func newSession(now: Date) -> String {
        let expiry = String(Int(now.addingTimeInterval(Self.lifetime).timeIntervalSince1970))
        return expiry + "." + signer.signature("session", [expiry])
    }

    /// Whether `cookie` is a session this token signed that has not expired at `now`.
    func isValid(_ cookie: String?, now: Date) -> Bool {
        guard let cookie, cookie.utf8.count <= 128 else { return false }
        let parts = cookie.split(separator: ".", omittingEmptySubsequences: false).map(String.init)
        guard parts.count == 2, let expiry = Int(parts[0]), signer.verify(parts[1], "session", [parts[0]]) else {
            return false
        }
        return Double(expiry) > now.timeIntervalSince1970
    }

    /// The form token of the session `cookie`.
    func formToken(for cookie: String) -> String { signer.signature("form", [cookie]) }

    /// Whether `given` is the form token of the session `cookie`.
    func isFormToken(_ given: String, for cookie: String) -> Bool { signer.verify(given, "form", [cookie]) }
}
