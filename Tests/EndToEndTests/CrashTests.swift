import Foundation
import GalleryKit
import NIOHTTP1
import Synchronization
import TestSupport
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// `gallery serve` killed with SIGKILL in the middle of a presign load, then started again.
struct CrashTests {
    /// What one presign answered in JSON: the key and the signed fields to upload with later.
    struct Presigned: Sendable {
        let key: String
        let title: String
        let url: String
        let fields: [String: String]
    }

    /// What the load saw, shared by its workers.
    final class Tally: Sendable {
        let acknowledged = Mutex<[Presigned]>([])
        let sent = Atomic<Int>(0)
        let failed = Atomic<Int>(0)
        let stop = Atomic<Bool>(false)
    }

    static func start(_ directory: URL, port: Int) throws -> GalleryProcess {
        try GalleryProcess.serveEmbedded(
            in: directory, port: port, ["--rate-limit", "0", "--max-pending-per-client", "0", "--log-level", "warning"])
    }

    /// Every key that got a 201 is still pending after the crash, no job file is damaged, the service is back
    /// within a second, and a photo uploaded for an acknowledged key after the restart is published.
    @Test func killedUnderLoadLosesNoAcknowledgedJob() async throws {
        let directory = try Fixtures.temporaryDirectory("gallery-crash")
        let port = try Fixtures.freePort()
        let base = "http://127.0.0.1:\(port)"
        let server = try Self.start(directory, port: port)
        let browser = Browser()
        try await Self.waitUntilHealthy(base, server: server, browser: browser)

        let tally = Tally()
        await withTaskGroup(of: Void.self) { group in
            for worker in 0..<16 {
                group.addTask {
                    var index = 0
                    // Bounded: stops when told, and after 2,000 requests per worker at most.
                    while !tally.stop.load(ordering: .relaxed), index < 2000 {
                        index += 1
                        tally.sent.add(1, ordering: .relaxed)
                        do {
                            let answer = try await browser.send(
                                base + "/upload", method: .POST,
                                headers: [
                                    ("Content-Type", "application/x-www-form-urlencoded"),
                                    ("Accept", "application/json"),
                                ], body: Data("title=Load+\(worker)-\(index)".utf8))
                            guard answer.status == 201,
                                let object = try JSONSerialization.jsonObject(with: answer.body) as? [String: Any],
                                let key = object["key"] as? String, let title = object["title"] as? String,
                                let url = object["url"] as? String,
                                let fields = object["fields"] as? [String: String]
                            else {
                                tally.failed.add(1, ordering: .relaxed)
                                continue
                            }
                            tally.acknowledged.withLock {
                                $0.append(Presigned(key: key, title: title, url: url, fields: fields))
                            }
                        } catch {
                            tally.failed.add(1, ordering: .relaxed)  // in flight when the service died
                            if tally.stop.load(ordering: .relaxed) { break }
                        }
                    }
                }
            }
            group.addTask {
                // Kill once a few hundred presigns are acknowledged (bounded wait), while requests are in flight.
                for _ in 0..<100 where tally.acknowledged.withLock({ $0.count }) < 300 {
                    try? await Task.sleep(for: .milliseconds(50))
                }
                kill(server.pid, SIGKILL)
                server.process.waitUntilExit()
                tally.stop.store(true, ordering: .relaxed)
            }
        }
        let acked = tally.acknowledged.withLock { $0 }
        #expect(acked.count >= 100, "only \(acked.count) presigns were acknowledged before the kill: \(server.log)")

        // Nothing in the queue's log is damaged: whole records, then at most one cut-short record of a
        // write the kill interrupted (never acknowledged), then zeros.
        let jobs = directory.appendingPathComponent("jobs")
        var damaged = 0
        for name in try FileManager.default.contentsOfDirectory(atPath: jobs.path) where name.hasSuffix(".segment") {
            let contents = JobLog.decode(try Data(contentsOf: jobs.appendingPathComponent(name)), salvaging: true)
            if contents.isDamaged { damaged += 1 }
        }
        #expect(damaged == 0)

        // Start again: up (a liveness bound, not a timing target: the start-up time is printed; on a
        // quiet machine well under a second), and nothing acknowledged is missing.
        // (A new client: the old one's pooled connections died with the server.)
        let fresh = Browser(freshConnections: true)
        defer { Task { try? await fresh.shutdown() } }
        let started = ContinuousClock.now
        let restarted = try Self.start(directory, port: port)
        defer { restarted.stop() }
        try await Self.waitUntilHealthy(base, server: restarted, browser: fresh)
        let recovery = ContinuousClock.now - started
        print("restart after kill -9 under load: healthy after \(recovery)")
        #expect(recovery < .seconds(30), "start-up took \(recovery)")
        let pending = Set(try await FileJobQueue(directory: jobs).pending().map(\.key))
        let lost = acked.filter { !pending.contains($0.key) }
        #expect(lost.isEmpty, "lost \(lost.count) acknowledged jobs")
        #expect(!FileManager.default.fileExists(atPath: jobs.appendingPathComponent("corrupt").path))

        // An acknowledged upload still goes through after the restart.
        let survivor = try #require(acked.last)
        let (body, contentType) = Fixtures.multipart(
            fields: survivor.fields.map { ($0.key, $0.value) }.sorted { $0.0 < $1.0 } + [("Content-Type", "image/png")],
            file: Fixtures.png)
        let posted = try await fresh.send(
            survivor.url, method: .POST, headers: [("Content-Type", contentType)], body: body)
        #expect(posted.status == 303, "\(posted.text)")
        let landed = try await fresh.send(posted.headers.first(name: "Location") ?? "")
        #expect(landed.status == 303, "\(landed.text)")
        let index = try await fresh.send(base + "/index.html")
        #expect(index.text.contains(#"alt="\#(survivor.title)""#), "the photo is not on the gallery")
        #expect(try await FileJobQueue(directory: jobs).job(for: survivor.key) == nil)

        print(
            "crash test: \(tally.sent.load(ordering: .relaxed)) presigns sent, \(acked.count) acknowledged (201), "
                + "\(tally.failed.load(ordering: .relaxed)) cut off by SIGKILL, \(pending.count) pending after restart, "
                + "damaged segments: \(damaged), jobs lost: \(lost.count), restart to healthy: \(recovery)")
    }

    static func waitUntilHealthy(_ base: String, server: GalleryProcess, browser: Browser) async throws {
        for _ in 0..<200 {
            if (try? await browser.send(base + "/healthz"))?.status == 200 { return }
            try #require(server.process.isRunning, "gallery serve exited: \(server.log)")
            try await Task.sleep(for: .milliseconds(5))
        }
        Issue.record("the service did not come up: \(server.log)")
    }
}
