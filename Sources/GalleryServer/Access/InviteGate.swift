import Foundation
import GalleryKit
import HTTPTypes

/// Checks invites for `--uploads invite`: the token's signature and expiry, then the book's word that
/// it was not revoked. A refusal is a 403 with a page that says why.
struct InviteGate: Sendable {
    let signer: LinkSigner
    let book: InviteBook
    let renderer: PageRenderer
    let clock: any WallClock

    /// When the invite `token` expires, if it admits an upload now; else throws the 403.
    @discardableResult
    func check(_ token: String?) async throws -> Date {
        guard let token, !token.isEmpty else {
            throw refusal("Uploads to this gallery are by invitation: open the invite link you were given.")
        }
        let invite: (id: String, expiresAt: Date)
        do {
            invite = try Invite.verify(token, signer: signer, now: clock.now())
        } catch {
            throw refusal(error.description + " Ask whoever runs the gallery for a new one.")
        }
        guard try await book.admits(id: invite.id) else {
            throw refusal(Invite.Refusal.revoked.description + " Ask whoever runs the gallery for a new one.")
        }
        return invite.expiresAt
    }

    private func refusal(_ message: String) -> ServiceError {
        let html = try? renderer.noticePage(heading: "An invite is needed", message: message)
        return ServiceError(
            status: .forbidden, message: message,
            page: html.map { ($0, ContentSecurityPolicy.servicePages(renderer.configuration, imageOrigins: [])) })
    }
}
