import Foundation
import GalleryKit
import GalleryServer
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore
import TestSupport
import Testing

/// Invite-only uploads, the uploader's manage link and the operator's review page, in process.
struct AccessRouteTests {
    static let form: HTTPFields = [.contentType: "application/x-www-form-urlencoded"]
    static let json: HTTPFields = [.contentType: "application/x-www-form-urlencoded", .accept: "application/json"]
    static let signer = LinkSigner(secret: Data(repeating: 7, count: 32))
    static let adminToken = "correct horse battery staple"

    static func gallery(review: Bool = false, invites: Bool = false) async throws -> TestGallery {
        var gallery = try await TestGallery(review: review)
        gallery.settings.linkSigner = signer
        gallery.settings.uploadAccess = invites ? .invite : .open
        gallery.settings.adminToken = adminToken
        gallery.settings.rateLimit = 0
        return gallery
    }

    static func encoded(_ text: String) -> String {
        var allowed = CharacterSet.alphanumerics
        allowed.insert(charactersIn: "-._~")
        return text.addingPercentEncoding(withAllowedCharacters: allowed) ?? ""
    }

    // MARK: Invites

    @Test func uploadsNeedAValidInviteWhenInviteOnly() async throws {
        let gallery = try await Self.gallery(invites: true)
        let book = InviteBook(store: gallery.gallery.store)
        let valid = try await book.create(label: "Aunt Mary", lifetime: 3600)
        let revoked = try await book.create(label: "Old", lifetime: 3600)
        #expect(try await book.revoke(id: revoked.id))
        let expired = Invite(
            id: "00000000000000ab", label: "", createdAt: Date() - 7200, expiresAt: Date() - 60)
        let validToken = valid.token(signer: Self.signer)
        var characters = Array(validToken)
        characters[characters.count - 3] = characters[characters.count - 3] == "A" ? "B" : "A"
        let tampered = String(characters)
        let forgedBySomeoneElse = valid.token(signer: LinkSigner(secret: Data(repeating: 9, count: 32)))
        let cases: [(String, String?, HTTPResponse.Status, String)] = [
            ("none", nil, .forbidden, "by invitation"),
            ("valid", validToken, .created, ""),
            ("expired", expired.token(signer: Self.signer), .forbidden, "expired"),
            ("tampered", tampered, .forbidden, "not valid"),
            ("other secret", forgedBySomeoneElse, .forbidden, "not valid"),
            ("revoked", revoked.token(signer: Self.signer), .forbidden, "withdrawn"),
        ]
        try await gallery.test { client in
            for (name, token, status, text) in cases {
                let body = "title=Hi" + (token.map { "&invite=" + Self.encoded($0) } ?? "")
                let response = try await client.execute(
                    uri: "/upload", method: .post, headers: Self.form, body: ByteBuffer(string: body))
                #expect(response.status == status, "\(name): \(response.text)")
                if status == .forbidden {
                    #expect(response.headers[.contentType] == "text/html; charset=utf-8", "\(name)")
                    #expect(response.text.contains(text), "\(name): \(response.text)")
                }
            }
            // The invite link's page: the title form carrying the invite; a bad one says why.
            let page = try await client.execute(uri: "/invite?token=" + Self.encoded(validToken), method: .get)
            #expect(page.status == .ok)
            #expect(page.text.contains(#"<input type="hidden" name="invite" value="\#(validToken)">"#))
            #expect(page.headers[.cacheControl] == "no-store")
            let bad = try await client.execute(uri: "/invite?token=" + Self.encoded(tampered), method: .get)
            #expect(bad.status == .forbidden)
        }
        #expect(try await gallery.queue.pending().count == 1, "only the valid invite queued a job")
    }

    @Test func openUploadsNeedNoInvite() async throws {
        let gallery = try await Self.gallery()
        try await gallery.test { client in
            let response = try await client.execute(
                uri: "/upload", method: .post, headers: Self.form, body: ByteBuffer(string: "title=Hi"))
            #expect(response.status == .created)
        }
    }

    // MARK: Manage links

    @Test func theManageLinkRemovesItsOwnUploadAndNoOther() async throws {
        let gallery = try await Self.gallery()
        try await gallery.test { client in
            func presign(_ title: String) async throws -> (key: String, url: URLComponents) {
                let answer = try await client.execute(
                    uri: "/upload", method: .post, headers: Self.json, body: ByteBuffer(string: "title=" + title))
                let object = try #require(try JSONSerialization.jsonObject(with: Data(answer.text.utf8)) as? [String: Any])
                let manage = try #require(object["manageURL"] as? String)
                return (try #require(object["key"] as? String), try #require(URLComponents(string: manage)))
            }
            let (mine, link) = try await presign("Mine")
            let (other, _) = try await presign("Other")
            #expect(link.path == "/manage")
            let query = Dictionary(uniqueKeysWithValues: (link.queryItems ?? []).map { ($0.name, $0.value ?? "") })
            #expect(query["key"] == mine)
            func manage(_ key: String, _ expires: String, _ signature: String) async throws -> TestResponse {
                try await client.execute(
                    uri: "/manage?key=\(Self.encoded(key))&expires=\(expires)&signature=\(Self.encoded(signature))",
                    method: .get)
            }
            let expires = try #require(query["expires"])
            let signature = try #require(query["signature"])
            let shown = try await manage(mine, expires, signature)
            #expect(shown.status == .ok)
            #expect(shown.text.contains("not published yet") && shown.text.contains("Remove this photo"))
            #expect(shown.headers[HTTPField.Name("X-Robots-Tag")!] == "noindex, nofollow")
            // Another key, a later expiry, a changed signature: refused.
            #expect(try await manage(other, expires, signature).status == .forbidden)
            #expect(try await manage(mine, String(Int(expires)! + 3600), signature).status == .forbidden)
            #expect(try await manage(mine, expires, Fixtures.tampered(signature)).status == .forbidden)
            let past = ManageLink(key: mine, expiresAt: Date() - 1).query(signer: Self.signer)
            let expired = try await manage(mine, past[1].value, past[2].value)
            #expect(expired.status == .forbidden)
            #expect(expired.text.contains("expired"))

            // The button: a POST for another key with this signature is refused; this one removes it.
            let forged = try await client.execute(
                uri: "/manage", method: .post, headers: Self.form,
                body: ByteBuffer(
                    string: "key=\(Self.encoded(other))&expires=\(expires)&signature=\(Self.encoded(signature))"))
            #expect(forged.status == .forbidden)
            let removed = try await client.execute(
                uri: "/manage", method: .post, headers: Self.form,
                body: ByteBuffer(string: "key=\(Self.encoded(mine))&expires=\(expires)&signature=\(Self.encoded(signature))"))
            #expect(removed.status == .ok, "\(removed.text)")
            #expect(removed.text.contains("was removed"))
        }
        #expect(try await gallery.queue.pending().map(\.title.text) == ["Other"])
    }

    // MARK: The review page

    @Test func theReviewPageSignsInWithTheTokenAndActsOnlyWithTheFormToken() async throws {
        let gallery = try await Self.gallery(review: true)
        let hostile = #"<img src=x onerror="alert(1)">"#
        for (index, title) in [hostile, "Second"].enumerated() {
            let key = "incoming/review-\(index)"
            try await gallery.bucket.put(key: key, body: Fixtures.png, contentType: "image/png", cacheControl: nil)
            try await gallery.queue.enqueue(
                Job(key: key, title: try Title(normalizing: title), createdAt: Date(), expiresAt: Date() + 600))
            #expect(try await gallery.gallery.publisher.process(key: key) == .awaitingReview(title: try Title(normalizing: title)))
        }
        try await gallery.test { client in
            let signedOut = try await client.execute(uri: "/review", method: .get)
            #expect(signedOut.status == .ok)
            #expect(signedOut.text.contains(#"name="token" type="password""#))
            #expect(!signedOut.text.contains("review-0"), "nothing listed before signing in")
            #expect(signedOut.headers[.cacheControl] == "no-store")
            #expect(signedOut.text.contains(#"<meta name="robots" content="noindex, nofollow">"#))

            let wrong = try await client.execute(
                uri: "/review/sign-in", method: .post, headers: Self.form, body: ByteBuffer(string: "token=guess"))
            #expect(wrong.status == .forbidden)
            #expect(wrong.headers[.setCookie] == nil)
            let signIn = try await client.execute(
                uri: "/review/sign-in", method: .post, headers: Self.form,
                body: ByteBuffer(string: "token=" + Self.encoded(Self.adminToken)))
            #expect(signIn.status == .seeOther)
            let setCookie = try #require(signIn.headers[.setCookie])
            #expect(setCookie.contains("HttpOnly") && setCookie.contains("SameSite=Strict"))
            #expect(setCookie.contains("Path=/review"))
            let cookie = String(setCookie.prefix { $0 != ";" })
            let withCookie: HTTPFields = [.cookie: cookie]

            let page = try await client.execute(uri: "/review", method: .get, headers: withCookie)
            #expect(page.status == .ok)
            let html = page.text
            #expect(html.contains("Awaiting review: 2"))
            // Titles hold no markup characters (S3's tag rules), and the page escapes every string
            // anyway (TemplateFieldTests.templatesEscapeEveryString covers review.mustache).
            #expect(!html.contains("<img src=x"), "a title is escaped on the review page")
            #expect(html.contains(#"<p class="review-title">img src=x onerror=alert1</p>"#))
            let csrf = try #require(
                html.components(separatedBy: #"name="csrf" value=""#).dropFirst().first.map { String($0.prefix { $0 != "\"" }) })
            // The preview, privately, for the signed-in operator only.
            let preview = try #require(
                html.components(separatedBy: #"src="http://127.0.0.1:8080/review/preview?key="#).dropFirst().first
                    .map { String($0.prefix { $0 != "\"" }) })
            let image = try await client.execute(uri: "/review/preview?key=" + preview, method: .get, headers: withCookie)
            #expect(image.status == .ok)
            #expect(image.headers[.contentType] == "image/webp")
            #expect(try await client.execute(uri: "/review/preview?key=" + preview, method: .get).status == .forbidden)
            let outside = try await client.execute(
                uri: "/review/preview?key=records/review-0.json", method: .get, headers: withCookie)
            #expect(outside.status == .badRequest)

            func act(_ action: String, _ key: String, csrf: String?, cookie: Bool = true) async throws -> TestResponse {
                var headers = Self.form
                if cookie { headers[.cookie] = withCookie[.cookie] }
                let body = "action=\(action)&key=\(Self.encoded(key))" + (csrf.map { "&csrf=" + $0 } ?? "")
                return try await client.execute(
                    uri: "/review", method: .post, headers: headers, body: ByteBuffer(string: body))
            }
            #expect(try await act("approve", "incoming/review-0", csrf: nil).status == .forbidden)
            #expect(try await act("approve", "incoming/review-0", csrf: Fixtures.tampered(csrf)).status == .forbidden)
            #expect(try await act("approve", "incoming/review-0", csrf: csrf, cookie: false).status == .forbidden)
            #expect(try await act("approve", "incoming/review-0", csrf: csrf).status == .seeOther)
            #expect(try await act("reject", "incoming/review-1", csrf: csrf).status == .seeOther)
            let after = try await client.execute(uri: "/review", method: .get, headers: withCookie)
            #expect(after.text.contains("Awaiting review: 0"))
            #expect(after.text.contains(#"value="remove""#), "the approved photo is listed with a remove button")
            #expect(try await act("remove", "incoming/review-0", csrf: csrf).status == .seeOther)
        }
        #expect(try await gallery.bucket.head(key: "incoming/review-1") == nil, "rejected: the upload is deleted")
        let listed = try #require(try await ManifestStore(store: gallery.bucket).photos())
        #expect(listed.filter { !$0.isGap }.isEmpty)
    }

    @Test func withoutAnAdminTokenThereIsNoReviewPage() async throws {
        var gallery = try await Self.gallery()
        gallery.settings.adminToken = nil
        try await gallery.test { client in
            let response = try await client.execute(uri: "/review", method: .get)
            #expect(response.status == .notFound)
        }
    }
}
