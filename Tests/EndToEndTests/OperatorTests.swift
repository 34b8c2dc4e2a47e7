import Foundation
import GalleryKit
import NIOHTTP1
import TestSupport
import Testing

/// Running a public gallery (issue 14), end to end with the real `gallery` binary on the local
/// bucket and on moto: take-down while the service runs, hide and unhide, the uploader's manage link,
/// then review before publishing with invite-only uploads, the review page's previews and its escaping.
@Suite(.serialized)
struct OperatorTests {
    /// Signs the links in these tests, so they can make expired or foreign ones themselves.
    static let secret = "operator-tests-link-secret-0123456789"
    static let adminToken = "operator-tests-admin-token"

    /// A deployment: where the bucket is, the flags every command takes, and how visitors read the site.
    struct Deployment {
        let directory: URL
        let moto: MotoServer?
        let store: [String]
        let environment: [String: String]

        init(_ storage: SharedBucketTests.Storage) async throws {
            directory = try Fixtures.temporaryDirectory("gallery-operator-\(storage)")
            if storage == .moto {
                let moto = try await MotoServer()
                self.moto = moto
                store = ["--bucket", "operated", "--endpoint", moto.endpoint]
                environment = S3GalleryTests.environment
            } else {
                moto = nil
                store = ["--local", directory.appendingPathComponent("bucket").path]
                environment = [:]
            }
            if moto != nil {
                let setup = try await run(["setup"])
                try #require(setup.status == 0, "setup failed: \(setup.log)")
            }
        }

        var common: [String] {
            store + ["--jobs", directory.appendingPathComponent("jobs").path, "--site", Fixtures.site.path]
        }

        /// Runs a command with the options the service runs with (pages render alike: its URL too).
        func run(_ arguments: [String], service: String? = nil) async throws -> (
            status: Int32, output: String, log: String
        ) {
            try await CommandLineTests.run(
                arguments + common + (service.map { ["--public-url", $0] } ?? []), in: directory,
                environment: environment)
        }

        func serve(_ extra: [String]) async throws -> (GalleryProcess, String) {
            let port = try Fixtures.freePort()
            let server = try GalleryProcess(
                [
                    "serve", "--port", "\(port)", "--rate-limit", "0", "--invite-secret", OperatorTests.secret,
                    "--admin-token", OperatorTests.adminToken,
                ] + extra + common,
                logDirectory: directory, environment: environment)
            let service = "http://127.0.0.1:\(port)"
            try await Browser().waitUntilHealthy(service, server: server)
            return (server, service)
        }

        /// Where visitors read the site.
        func site(_ service: String) -> String { moto.map { "\($0.endpoint)/operated" } ?? service }
    }

    /// The titles `gallery.json` lists (uploads in the same second on moto may list in any order).
    static func titles(_ browser: Browser, site: String) async throws -> [String] {
        (try await browser.manifestEntries(site: site) ?? []).compactMap { $0["title"] as? String }
    }

    @Test(arguments: SharedBucketTests.Storage.allCases)
    func takeDownHideAndTheManageLink(_ storage: SharedBucketTests.Storage) async throws {
        if storage == .moto, !MotoServer.shouldRun { return }
        let deployment = try await Deployment(storage)
        let (server, service) = try await deployment.serve([])
        defer { server.stop() }
        let site = deployment.site(service)
        let browser = Browser()
        var keys: [String: String] = [:]
        for title in ["Alpha", "Bravo", "Charlie"] {
            let (key, landed) = try await browser.upload(
                to: service, title: title, file: Fixtures.png, contentType: "image/png")
            #expect(landed.status == 303, "\(title): \(landed.text)")
            keys[title] = key
        }
        let bravo = try #require(keys["Bravo"])
        let bravoID = GalleryPhoto.id(forKey: bravo)
        let bravoPage = try await browser.send(site + "/photo/\(bravoID).html")
        #expect(bravoPage.status == 200)
        let rendition = try #require(
            bravoPage.text.components(separatedBy: "img/\(bravoID)/").dropFirst().first.map {
                "img/\(bravoID)/" + $0.prefix { $0 != " " && $0 != "\"" }
            })

        // gallery remove, by id, while the service runs.
        let removed = try await deployment.run(["remove", bravoID], service: service)
        #expect(removed.status == 0, "\(removed.log)")
        #expect(removed.output.contains("removed \(bravo)"))
        #expect(Set(try await Self.titles(browser, site: site)) == Set(["Alpha", "Charlie"]))
        #expect(try await browser.send(site + "/photo/\(bravoID).html").status == 404)
        #expect(try await browser.send(site + "/" + rendition).status == 404)
        for feed in ["feed.atom", "feed.json"] {
            #expect(!(try await browser.send(site + "/" + feed)).text.contains("Bravo"), "\(feed)")
        }
        #expect(!(try await browser.send(site + "/index.html")).text.contains("Bravo"))
        // The running service's copy of the manifest is stale: its next upload must not bring Bravo back.
        let (_, delta) = try await browser.upload(
            to: service, title: "Delta", file: Fixtures.png, contentType: "image/png")
        #expect(delta.status == 303)
        #expect(Set(try await Self.titles(browser, site: site)) == Set(["Alpha", "Charlie", "Delta"]))
        #expect(!(try await browser.send(site + "/index.html")).text.contains("Bravo"))
        let again = try await deployment.run(["remove", "incoming/not-a-photo"], service: service)
        #expect(again.status != 0)
        #expect(again.log.contains("There is no photo, upload or pending job"), "\(again.log)")

        // hide and unhide.
        let alpha = try #require(keys["Alpha"])
        let hid = try await deployment.run(["hide", alpha], service: service)
        #expect(hid.status == 0, "\(hid.log)")
        #expect(Set(try await Self.titles(browser, site: site)) == Set(["Charlie", "Delta"]))
        #expect(try await browser.send(site + "/photo/\(GalleryPhoto.id(forKey: alpha)).html").status == 404)
        let unhid = try await deployment.run(["unhide", alpha], service: service)
        #expect(unhid.status == 0, "\(unhid.log)")
        #expect(Set(try await Self.titles(browser, site: site)) == Set(["Alpha", "Charlie", "Delta"]))
        #expect(try await browser.send(site + "/photo/\(GalleryPhoto.id(forKey: alpha)).html").status == 200)

        // The uploader's manage link: in the presign answer, valid for its own key only.
        let presigned = try await browser.send(
            service + "/upload", method: .POST,
            headers: [("Content-Type", "application/x-www-form-urlencoded"), ("Accept", "application/json")],
            body: Data("title=Echo".utf8))
        let object = try #require(try JSONSerialization.jsonObject(with: presigned.body) as? [String: Any])
        let echo = try #require(object["key"] as? String)
        let manageURL = try #require(object["manageURL"] as? String)
        let fields = try #require(object["fields"] as? [String: String])
        let (body, type) = Fixtures.multipart(
            fields: fields.sorted { $0.key < $1.key }.map { ($0.key, $0.value) } + [("Content-Type", "image/png")],
            file: Fixtures.png)
        let posted = try await browser.send(
            try #require(object["url"] as? String), method: .POST, headers: [("Content-Type", type)], body: body)
        _ = try await browser.send(try #require(posted.headers.first(name: "Location")))
        #expect(try await Self.titles(browser, site: site).contains("Echo"))
        let page = try await browser.send(manageURL)
        #expect(page.status == 200)
        #expect(page.text.contains("This photo is in the gallery.") && page.text.contains("Remove this photo"))
        let query = try #require(URLComponents(string: manageURL)?.queryItems)
        let value = { (name: String) in query.first { $0.name == name }?.value ?? "" }
        let signer = LinkSigner(secret: Data(Self.secret.utf8))
        func form(_ key: String, _ expires: String, _ signature: String) -> Data {
            Data("key=\(Browser.formEncode(key))&expires=\(expires)&signature=\(Browser.formEncode(signature))".utf8)
        }
        func post(_ data: Data) async throws -> Answer {
            try await browser.send(
                service + "/manage", method: .POST, headers: [("Content-Type", "application/x-www-form-urlencoded")],
                body: data)
        }
        let expired = ManageLink(key: echo, expiresAt: Date() - 1).query(signer: signer)
        #expect(try await post(form(alpha, value("expires"), value("signature"))).status == 403, "another key")
        #expect(try await post(form(echo, value("expires"), Fixtures.tampered(value("signature")))).status == 403)
        #expect(try await post(form(echo, expired[1].value, expired[2].value)).status == 403, "expired")
        #expect(try await Self.titles(browser, site: site).contains("Echo"))
        let removedByLink = try await post(form(echo, value("expires"), value("signature")))
        #expect(removedByLink.status == 200, "\(removedByLink.text)")
        #expect(Set(try await Self.titles(browser, site: site)) == Set(["Alpha", "Charlie", "Delta"]))
        #expect(try await browser.send(site + "/photo/\(GalleryPhoto.id(forKey: echo)).html").status == 404)
    }

    @Test(arguments: SharedBucketTests.Storage.allCases)
    func reviewBeforePublishingWithInviteOnlyUploads(_ storage: SharedBucketTests.Storage) async throws {
        if storage == .moto, !MotoServer.shouldRun { return }
        let deployment = try await Deployment(storage)
        let (server, service) = try await deployment.serve(["--review", "--uploads", "invite"])
        defer { server.stop() }
        let site = deployment.site(service)
        let browser = Browser()

        let made = try await deployment.run(
            ["invite", "--expires", "1h", "--label", "family", "--invite-secret", Self.secret], service: service)
        #expect(made.status == 0, "\(made.log)")
        let link = made.output.trimmingCharacters(in: .whitespacesAndNewlines)
        #expect(link.hasPrefix(service + "/invite?token="))
        let token = String(link.dropFirst((service + "/invite?token=").count))
        let invitePage = try await browser.send(link)
        #expect(invitePage.status == 200)
        #expect(invitePage.text.contains(#"name="invite" value="\#(token)""#))

        func presign(_ title: String, invite: String?) async throws -> Answer {
            try await browser.send(
                service + "/upload", method: .POST,
                headers: [("Content-Type", "application/x-www-form-urlencoded"), ("Accept", "text/html")],
                body: Data(("title=\(title)" + (invite.map { "&invite=" + Browser.formEncode($0) } ?? "")).utf8))
        }
        let refused = try await presign("Nobody", invite: nil)
        #expect(refused.status == 403)
        #expect(refused.text.contains("by invitation"))
        let signer = LinkSigner(secret: Data(Self.secret.utf8))
        let id = String(token.prefix(16))
        let expired = Invite(id: id, label: "", createdAt: Date() - 7200, expiresAt: Date() - 60).token(signer: signer)
        #expect(try await presign("Late", invite: expired).status == 403)
        #expect(try await presign("Forged", invite: token.dropLast(2) + "AA").status == 403)

        // Valid: uploads land, are processed, and wait for review.
        var keys: [String] = []
        for title in ["Kept", "Dropped"] {
            let presigned = try await presign(title, invite: token)
            #expect(presigned.status == 201, "\(presigned.text)")
            let fields = Browser.hiddenFields(presigned.text)
            let action = try #require(
                presigned.text.components(separatedBy: #"id="upload-form" action=""#).dropFirst().first.map {
                    String($0.prefix { $0 != "\"" })
                })
            #expect(presigned.text.contains("/manage?key="), "the upload page shows the manage link")
            let (body, type) = Fixtures.multipart(fields: fields + [("Content-Type", "image/png")], file: Fixtures.png)
            let posted = try await browser.send(action, method: .POST, headers: [("Content-Type", type)], body: body)
            let landed = try await browser.send(try #require(posted.headers.first(name: "Location")))
            #expect(landed.status == 202, "\(landed.text)")
            #expect(landed.text.contains("once they are approved"))
            keys.append(try #require(fields.first { $0.0 == "key" }?.1))
        }
        #expect(try await Self.titles(browser, site: site).isEmpty)

        let listed = try await deployment.run(["review", "list", "--json"], service: service)
        #expect(listed.status == 0, "\(listed.log)")
        let items = try #require(
            try JSONSerialization.jsonObject(with: Data(listed.output.utf8)) as? [[String: String]])
        // Oldest first; moto's times have whole seconds, so two uploads in one second are in key order.
        #expect(Set(items.compactMap { $0["title"] }) == ["Kept", "Dropped"])
        #expect(Set(items.compactMap { $0["key"] }) == Set(keys))
        #expect(items.allSatisfy { $0["uploadedAt"]?.hasSuffix("Z") == true })

        // The review page shows both with working previews (presigned in S3 mode, served privately here).
        let signIn = try await browser.send(
            service + "/review/sign-in", method: .POST,
            headers: [("Content-Type", "application/x-www-form-urlencoded")],
            body: Data("token=\(Browser.formEncode(Self.adminToken))".utf8))
        #expect(signIn.status == 303)
        let cookie = try #require(
            signIn.headers.first(name: "Set-Cookie")?.split(separator: ";").first.map(String.init))
        let review = try await browser.send(service + "/review", headers: [("Cookie", cookie)])
        #expect(review.text.contains("Awaiting review: 2"))
        let previews = review.text.components(separatedBy: #"<img src=""#).dropFirst().map {
            Browser.unescape(String($0.prefix { $0 != "\"" }))
        }
        #expect(previews.count == 2)
        for preview in previews {
            let answer = try await browser.send(preview, headers: [("Cookie", cookie)])
            #expect(answer.status == 200, "\(preview)")
            #expect(answer.headers.first(name: "Content-Type") == "image/webp")
            if storage == .moto { #expect(preview.contains("X-Amz-Expires=300")) }
        }

        let approved = try await deployment.run(["review", "approve", keys[0]], service: service)
        #expect(approved.status == 0, "\(approved.log)")
        let rejected = try await deployment.run(["review", "reject", keys[1]], service: service)
        #expect(rejected.status == 0, "\(rejected.log)")
        #expect(Set(try await Self.titles(browser, site: site)) == Set(["Kept"]))
        let emptied = try await deployment.run(["review", "list", "--json"], service: service)
        #expect(
            emptied.output.contains("[]") || emptied.output.trimmingCharacters(in: .whitespacesAndNewlines) == "[\n\n]")

        // Revoked: within a few seconds every instance refuses it.
        let list = try await deployment.run(["invite", "list"], service: service)
        #expect(list.output.contains(id) && list.output.contains("family"))
        let revoke = try await deployment.run(["invite", "revoke", id], service: service)
        #expect(revoke.status == 0, "\(revoke.log)")
        var status: UInt = 0
        for _ in 0..<40 {
            status = try await presign("After", invite: token).status
            if status == 403 { break }
            try await Task.sleep(for: .milliseconds(250))
        }
        #expect(status == 403, "a revoked invite still admits uploads")
    }
}
