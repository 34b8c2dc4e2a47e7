import Foundation
import NIOHTTP1
import TestSupport
import Testing

/// Several instances on one bucket (issue 12, item 9): three `gallery serve` processes share the
/// bucket and the job queue, take 60 uploads between them, and a `gallery regenerate` runs in the
/// middle. They meet at the manifest through conditional writes: every photo ends up in
/// `gallery.json`, on the pages and in both feeds (made 60 long here). Before, each instance kept its
/// own list in memory and overwrote the others' manifest and pages.
struct SharedBucketTests {
    static let uploads = 60
    static let instances = 3

    /// Where the instances keep things: the local bucket, or a moto bucket.
    enum Storage: String, CaseIterable, CustomTestStringConvertible {
        case local, moto
        var testDescription: String { rawValue }
    }

    @Test(arguments: Storage.allCases)
    func threeInstancesAndARegenerateKeepEveryPhoto(_ storage: Storage) async throws {
        if storage == .moto, !MotoServer.shouldRun { return }
        let directory = try Fixtures.temporaryDirectory("gallery-shared-\(storage)")
        let moto = storage == .moto ? try await MotoServer() : nil
        var environment: [String: String] = [:]
        var store = [
            "--local", directory.appendingPathComponent("bucket").path,
        ]
        if let moto {
            environment = S3GalleryTests.environment
            store = ["--bucket", "shared", "--endpoint", moto.endpoint]
            let setup = try GalleryProcess(
                ["setup"] + store + ["--site", Fixtures.site.path], logDirectory: directory, environment: environment)
            _ = setup.stdout.fileHandleForReading.readDataToEndOfFile()
            setup.process.waitUntilExit()
            try #require(setup.process.terminationStatus == 0, "setup failed: \(setup.log)")
        }
        let common =
            store + [
                "--jobs", directory.appendingPathComponent("jobs").path, "--site", Fixtures.site.path,
                "--feed-length", "\(Self.uploads)", "--rate-limit", "0", "--max-pending-per-client", "0", "--log-level",
                "info",
            ]
        var servers: [GalleryProcess] = []
        var services: [String] = []
        for _ in 0..<Self.instances {
            let port = try Fixtures.freePort()
            servers.append(
                try GalleryProcess(
                    ["serve", "--port", "\(port)"] + common, logDirectory: directory, environment: environment))
            services.append("http://127.0.0.1:\(port)")
        }
        defer { for server in servers { server.stop() } }
        let browser = Browser()
        for (server, service) in zip(servers, services) {
            for _ in 0..<150 where (try? await browser.send(service + "/healthz"))?.status != 200 {
                try #require(server.process.isRunning, "gallery serve exited: \(server.log)")
                try await Task.sleep(for: .milliseconds(100))
            }
        }

        // 60 uploads, round robin over the instances, six at a time; `gallery regenerate` after the 30th.
        var regenerate: GalleryProcess?
        try await withThrowingTaskGroup(of: Void.self) { group in
            for index in 0..<Self.uploads {
                if index >= 6 { try await group.next() }
                if index == Self.uploads / 2 {
                    regenerate = try GalleryProcess(
                        ["regenerate"] + common.prefix(while: { $0 != "--rate-limit" }), logDirectory: directory,
                        environment: environment)
                }
                let service = services[index % Self.instances]
                group.addTask { try await Self.upload("Shared \(index)", through: service) }
            }
            try await group.waitForAll()
        }
        let regenerated = try #require(regenerate)
        try await offThePool { regenerated.process.waitUntilExit() }
        #expect(regenerated.process.terminationStatus == 0, "regenerate failed: \(regenerated.log)")

        // The site, as visitors read it: served by the local bucket (any instance) or by the bucket.
        let site = moto.map { "\($0.endpoint)/shared" } ?? services[0]
        let expected = Set((0..<Self.uploads).map { "Shared \($0)" })
        var titles: [String] = []
        for _ in 0..<100 {
            let entries = try await browser.manifestEntries(site: site)
            titles = (entries ?? []).compactMap { $0["title"] as? String }
            if Set(titles) == expected { break }
            try await Task.sleep(for: .milliseconds(100))
        }
        print(
            "\(storage): \(Self.instances) instances, \(Self.uploads) uploads, a regenerate in the middle: "
                + "gallery.json lists \(Set(titles).count) of \(Self.uploads)")
        #expect(Set(titles) == expected, "missing: \(expected.subtracting(titles).sorted())")
        #expect(titles.count == Self.uploads)

        // Every page, followed from the index: each photo once, under its title.
        var onPages: [String] = []
        var page = 1
        while page < 20 {
            let answer = try await browser.send(site + "/page/\(page).html")
            guard answer.status == 200 else { break }
            onPages += Self.alts(in: answer.text)
            page += 1
        }
        #expect(onPages.sorted() == titles.sorted(), "pages show \(onPages.count) photos")
        let index = try await browser.send(site + "/")
        #expect(Self.alts(in: index.text).allSatisfy(expected.contains))

        // Both feeds: every photo, newest first.
        let newest = Array(titles.reversed())
        let json = try await browser.send(site + "/feed.json")
        let items =
            (try JSONSerialization.jsonObject(with: json.body) as? [String: Any])?["items"] as? [[String: Any]] ?? []
        #expect(items.compactMap { $0["title"] as? String } == newest)
        let atom = try await browser.send(site + "/feed.atom")
        #expect(atom.text.components(separatedBy: "<entry>").count - 1 == Self.uploads)
        for title in newest { #expect(atom.text.contains("<title>\(title)</title>")) }
        let lost = servers.map { $0.log.components(separatedBy: "changed the manifest first").count - 1 }
        let settled = servers.map { $0.log.components(separatedBy: "published meanwhile").count - 1 }
        print(
            "\(storage): conditional manifest writes lost (then redone) per instance: \(lost); "
                + "pages rewritten after a later writer: \(settled); the pages hold \(onPages.count) photos")
    }

    /// The `alt` texts of the photos on a page.
    static func alts(in html: String) -> [String] {
        html.components(separatedBy: #"alt=""#).dropFirst().map { String($0.prefix { $0 != "\"" }) }.filter {
            !$0.isEmpty
        }
    }

    /// Presigns through `service`, posts the PNG where the answer says, and follows the redirect to
    /// `/uploaded` (which waits for the photo to be published).
    static func upload(_ title: String, through service: String) async throws {
        let browser = Browser()
        let presigned = try await browser.send(
            service + "/upload", method: .POST,
            headers: [("Content-Type", "application/x-www-form-urlencoded"), ("Accept", "application/json")],
            body: Data(("title=" + Browser.formEncode(title)).utf8))
        try #require(presigned.status == 201, "\(presigned.text)")
        let object = try #require(try JSONSerialization.jsonObject(with: presigned.body) as? [String: Any])
        let url = try #require(object["url"] as? String)
        let fields = try #require(object["fields"] as? [String: String])
        let (body, contentType) = Fixtures.multipart(
            fields: fields.map { ($0.key, $0.value) } + [("Content-Type", "image/png")], file: Fixtures.png)
        let posted = try await browser.send(url, method: .POST, headers: [("Content-Type", contentType)], body: body)
        try #require(posted.status == 303, "the upload was refused: \(posted.text)")
        let location = try #require(posted.headers.first(name: "Location"))
        let landed = try await browser.send(location)
        #expect(landed.status == 303, "\(title): /uploaded answered \(landed.status): \(landed.text.prefix(200))")
    }
}
