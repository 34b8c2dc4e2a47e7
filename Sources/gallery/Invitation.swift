import ArgumentParser
import Foundation
import GalleryKit
import SigV4

/// `gallery invite`: invitations to upload, for `gallery serve --uploads invite`.
struct Invitation: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "invite",
        abstract: "Make, list or revoke invitations to upload (gallery serve --uploads invite).",
        subcommands: [Create.self, List.self, Revoke.self], defaultSubcommand: Create.self)

    /// Options of every invite command: the signing secret besides the bucket.
    struct Secret: ParsableArguments {
        @Option(
            help: ArgumentHelp(
                "The secret that signs links (default: GALLERY_INVITE_SECRET, else the bucket's own).",
                discussion: "The bucket keeps one (settings/link-secret.json, private), made at first use."))
        var inviteSecret: String?
    }

    struct Create: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "create", abstract: "Print a link that lets its holder upload photos until it expires.")
        @OptionGroup var options: GalleryOptions
        @OptionGroup var secret: Secret
        @Option(help: "How long the invite works: like 30m, 12h, 7d.")
        var expires: String = "7d"
        @Option(help: "What the invite is for, to find it in `gallery invite list`.")
        var label: String = ""

        func validate() throws {
            guard let seconds = Invitation.seconds(expires), (60...(366 * 86_400)).contains(seconds) else {
                throw ValidationError("--expires takes a duration from 1m to 366d, like 30m, 12h or 7d.")
            }
            guard label.count <= 200 else { throw ValidationError("--label is at most 200 characters.") }
        }

        func run() async throws {
            let (store, _) = try options.openStore()
            let signer = LinkSigner(secret: try await Invitation.secret(secret.inviteSecret, store: store))
            let invite = try await InviteBook(store: store).create(
                label: label, lifetime: TimeInterval(Invitation.seconds(expires) ?? 0))
            print("\(options.resolvedPublicURL)/invite?token=\(invite.token(signer: signer))")
            FileHandle.standardError.write(
                Data("invite \(invite.id), valid until \(AmzDate(invite.expiresAt).iso8601)\n".utf8))
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Print the invites, newest first.")
        @OptionGroup var options: GalleryOptions

        func run() async throws {
            let invites = try await InviteBook(store: try options.openStore().0).all()
            let now = Date()
            for invite in invites {
                let state = invite.revoked ? "revoked" : invite.expiresAt <= now ? "expired" : "valid"
                print("\(invite.id)\t\(state)\tuntil \(AmzDate(invite.expiresAt).iso8601)\t\(invite.label)")
            }
            print(invites.isEmpty ? "No invites." : "\(invites.count) invite\(invites.count == 1 ? "" : "s").")
        }
    }

    struct Revoke: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Withdraw an invite: its link stops working.")
        @OptionGroup var options: GalleryOptions
        @Argument(help: "The invite's id (from `gallery invite list`).")
        var id: String

        func run() async throws {
            guard try await InviteBook(store: try options.openStore().0).revoke(id: id) else {
                throw ValidationError("There is no invite '\(id)'; `gallery invite list` shows them.")
            }
            print("revoked \(id)")
        }
    }

    /// Seconds in a duration like `45m`, `12h` or `7d`.
    static func seconds(_ text: String) -> Int? {
        guard let unit = text.last, let number = Int(text.dropLast()), number > 0 else { return nil }
        switch unit {
        case "m": return number * 60
        case "h": return number * 3600
        case "d": return number * 86_400
        default: return nil
        }
    }

    /// The signing secret: the one given, `GALLERY_INVITE_SECRET`, else the bucket's.
    static func secret(_ given: String?, store: any ObjectStore) async throws -> Data {
        if let text = given ?? ProcessInfo.processInfo.environment["GALLERY_INVITE_SECRET"], !text.isEmpty {
            guard let secret = LinkSecret.given(text) else {
                throw ValidationError("The invite secret must be at least 16 characters.")
            }
            return secret
        }
        return try await LinkSecret.load(from: store)
    }
}
