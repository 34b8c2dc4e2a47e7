import AsyncHTTPClient
import Foundation
import GalleryKit
import GalleryS3
import NIOCore
import NIOHTTP1
import TestSupport
import Testing

@Suite(.enabled(if: MotoServer.shouldRun, "moto is not installed (run .ci/test)"))
struct RetryTests {
    static var fastRetries: RetryPolicy {
        var policy = RetryPolicy()
        policy.maximumAttempts = 6
        policy.baseDelay = .milliseconds(20)
        policy.maximumDelay = .milliseconds(200)
        policy.timeout = .seconds(1)
        return policy
    }

    @Test func callsSurviveSlowDownServerErrorsResetsAndSlowAnswers() async throws {
        let moto = try await MotoServer()
        let proxy = try await PeerServer("fault_proxy.py", arguments: ["--target", moto.endpoint, "--slow", "3"])
        let store = try await MotoStore(bucket: "retried", endpoint: proxy.url, retry: Self.fastRetries, moto: moto)
            .store

        // Every call below meets faults first: 503 SlowDown, 500, a reset connection, an answer slower than the timeout.
        var faults = 0
        for operation in ["put", "head", "tags", "list", "read"] {
            try await setFaults(proxy, 4)
            faults += 4
            switch operation {
            case "put":
                try await store.put(key: "photos/r", body: Fixtures.png, contentType: "image/png", cacheControl: nil)
            case "head": #expect(try await store.head(key: "photos/r")?.size == Fixtures.png.count)
            case "tags": #expect(try await store.tags(key: "photos/r") == [])
            case "list": #expect(try await store.listAll(prefix: "photos/").count == 1)
            default: #expect(try await store.read(key: "photos/r", range: nil) == Fixtures.png)
            }
        }
        let stats = try await proxy.stats()
        #expect(stats["injected"] == faults)
        print(
            "retries: \(faults) faults injected (503, 500, reset, slow), 5 calls succeeded, \(stats["forwarded"] ?? 0) requests forwarded"
        )
    }

    @Test func aLastingOutageEndsInATypedTransientError() async throws {
        let moto = try await MotoServer()
        let proxy = try await PeerServer("fault_proxy.py", arguments: ["--target", moto.endpoint, "--modes", "503"])
        let store = try await MotoStore(bucket: "outage", endpoint: proxy.url, retry: Self.fastRetries, moto: moto)
            .store
        try await setFaults(proxy, 1000)
        await #expect {
            _ = try await store.head(key: "photos/x")
        } throws: { error in
            guard let error = error as? S3Error else { return false }
            return error.code == "SlowDown" && error.status == 503 && error.isTransient
        }
        #expect(try await proxy.stats()["injected"] == Self.fastRetries.maximumAttempts)
    }

    func setFaults(_ proxy: PeerServer, _ count: Int) async throws {
        var request = HTTPClientRequest(url: proxy.url + "/__faults")
        request.method = .POST
        request.body = .bytes(Data("\(count)".utf8))
        _ = try await HTTPClient.shared.execute(request, timeout: .seconds(5))
    }
}
