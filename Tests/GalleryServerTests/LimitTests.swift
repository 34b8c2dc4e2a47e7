import Foundation
import GalleryKit
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore
import Testing

@testable import GalleryServer

struct TokenBucketTests {
    static let start = Date(timeIntervalSince1970: 1_764_000_000)

    @Test func allowsABurstThenAnswersWithTheWaitAndRefills() {
        var buckets = TokenBuckets(perMinute: 6)
        let answers = (0..<7).map { _ in buckets.take("198.51.100.1", at: Self.start) }
        #expect(answers.prefix(6).allSatisfy { $0 == nil })
        #expect(answers[6] == 10)  // one token every 10 s
        #expect(buckets.take("198.51.100.1", at: Self.start + 9) == 1)
        #expect(buckets.take("198.51.100.1", at: Self.start + 10.5) == nil)
        // Another client is not affected.
        #expect(buckets.take("198.51.100.2", at: Self.start + 10.5) == nil)
    }

    @Test func memoryStaysBoundedUnderAFloodOfAddresses() {
        var buckets = TokenBuckets(perMinute: 60, maximumClients: 1000)
        for index in 0..<50_000 { _ = buckets.take("client-\(index)", at: Self.start + Double(index) / 1000) }
        print("rate limiter: 50000 distinct clients, \(buckets.clientCount) remembered (bound 1000)")
        #expect(buckets.clientCount <= 1000)
        // The most recent clients are still limited.
        for _ in 0..<60 { _ = buckets.take("client-49999", at: Self.start + 50) }
        #expect(buckets.take("client-49999", at: Self.start + 50) != nil)
    }
}

struct ClientAddressTests {
    @Test func forwardedForCountsOnlyBehindATrustedProxy() {
        // Straight from the client: its own header is ignored.
        #expect(
            ClientAddress.resolve(peer: "203.0.113.9", forwardedFor: ["1.2.3.4"], trustedProxies: []) == "203.0.113.9")
        #expect(
            ClientAddress.resolve(peer: "203.0.113.9", forwardedFor: ["1.2.3.4"], trustedProxies: ["10.0.0.1"])
                == "203.0.113.9")
        // Through the trusted proxy: the right-most hop that is not a trusted proxy.
        #expect(
            ClientAddress.resolve(
                peer: "10.0.0.1", forwardedFor: ["6.6.6.6, 198.51.100.7"], trustedProxies: ["10.0.0.1"])
                == "198.51.100.7")
        #expect(
            ClientAddress.resolve(
                peer: "10.0.0.1", forwardedFor: ["198.51.100.7", "10.0.0.2"], trustedProxies: ["10.0.0.1", "10.0.0.2"])
                == "198.51.100.7")
        // A client cannot glue text onto the hop the proxy appended (U+070F joins a following ',').
        #expect(
            ClientAddress.resolve(
                peer: "10.0.0.1", forwardedFor: ["6.6.6.6\u{070F}, 198.51.100.7"], trustedProxies: ["10.0.0.1"])
                == "198.51.100.7")
        // A trusted proxy that sent no header is the client.
        #expect(ClientAddress.resolve(peer: "10.0.0.1", forwardedFor: [], trustedProxies: ["10.0.0.1"]) == "10.0.0.1")
        #expect(ClientAddress.resolve(peer: nil, forwardedFor: ["1.2.3.4"], trustedProxies: []) == "unknown")
    }
}

struct BodyDeadlinesTests {
    @Test func uploadsGetTheLongDeadlineFormsTheShortOneAndBodilessRequestsNone() {
        let deadlines = BodyDeadlines(forms: .seconds(10), uploads: .seconds(300), uploadPath: "/bucket")
        func request(_ method: HTTPRequest.Method, _ path: String, body: HTTPFields = [.contentLength: "5"])
            -> HTTPRequest
        {
            HTTPRequest(method: method, scheme: nil, authority: nil, path: path, headerFields: body)
        }
        #expect(deadlines.limit(for: request(.post, "/bucket")) == .seconds(300))
        #expect(deadlines.limit(for: request(.post, "/bucket?x=1")) == .seconds(300))
        #expect(deadlines.limit(for: request(.post, "/bucketful")) == .seconds(10))
        #expect(deadlines.limit(for: request(.post, "/upload", body: [.transferEncoding: "chunked"])) == .seconds(10))
        #expect(deadlines.limit(for: request(.put, "/events")) == .seconds(10))
        #expect(deadlines.limit(for: request(.get, "/bucket", body: [:])) == nil)
        #expect(deadlines.limit(for: request(.post, "/upload", body: [.contentLength: "0"])) == nil)
        // Whatever the method, a body that is announced has a deadline (issue 12, item 3).
        #expect(deadlines.limit(for: request(.get, "/")) == .seconds(10))
        #expect(deadlines.limit(for: request(.head, "/")) == .seconds(10))
        let s3Mode = BodyDeadlines(forms: .seconds(10), uploads: .seconds(300), uploadPath: nil)
        #expect(s3Mode.limit(for: request(.post, "/bucket")) == .seconds(10))
    }
}

@Suite("Limits over HTTP")
struct LimitRouteTests {
    static let form: HTTPFields = [.contentType: "application/x-www-form-urlencoded"]

    @Test func pendingJobsAreCappedWith503AndRetryAfter() async throws {
        var service = try await TestGallery(maximumPendingJobs: 3)
        service.settings.rateLimit = 0
        let queue = service.queue
        let statuses = try await service.test { client in
            var statuses: [HTTPResponse.Status] = []
            for index in 0..<5 {
                try await client.execute(
                    uri: "/upload", method: .post, headers: Self.form, body: ByteBuffer(string: "title=Photo+\(index)")
                ) { response in
                    statuses.append(response.status)
                    if response.status == .serviceUnavailable {
                        #expect(response.headers[.retryAfter] == "30")
                        #expect(String(buffer: response.body).contains("limit"))
                    }
                }
            }
            return statuses
        }
        print("max-pending 3: sent 5 presigns, \(statuses.filter { $0 == .created }.count) created, 503 for the rest")
        #expect(statuses == [.created, .created, .created, .serviceUnavailable, .serviceUnavailable])
        #expect(try await queue.count() == 3)
    }

    @Test func presignsPerClientAreLimitedWith429AndRetryAfter() async throws {
        var service = try await TestGallery()
        service.settings.rateLimit = 2
        let queue = service.queue
        let statuses = try await service.test { client in
            var statuses: [HTTPResponse.Status] = []
            for _ in 0..<4 {
                try await client.execute(
                    uri: "/upload", method: .post, headers: Self.form, body: ByteBuffer(string: "title=Hello")
                ) { response in
                    statuses.append(response.status)
                    if response.status == .tooManyRequests {
                        // One request every 30 s refills the bucket: the wait is at most that.
                        let wait = response.headers[.retryAfter].flatMap { Int($0) }
                        #expect(wait.map { (1...30).contains($0) } == true, "\(response.headers)")
                    }
                }
            }
            return statuses
        }
        #expect(statuses == [.created, .created, .tooManyRequests, .tooManyRequests])
        #expect(try await queue.count() == 2)
        print(
            "rate limit 2/min: sent 4 presigns from one client, \(statuses.filter { $0 == .created }.count) created, 429 for the rest"
        )
    }

    @Test func forwardedForIsTheClientOnlyWhenTheProxyIsTrusted() async throws {
        var service = try await TestGallery()
        service.settings.rateLimit = 1
        service.settings.trustedProxies = ["127.0.0.1"]
        let statuses = try await service.testLive { client in
            var statuses: [HTTPResponse.Status] = []
            for address in ["198.51.100.1", "198.51.100.2", "198.51.100.1"] {
                var headers = Self.form
                headers[HTTPField.Name("X-Forwarded-For")!] = "6.6.6.6, " + address
                try await client.execute(
                    uri: "/upload", method: .post, headers: headers, body: ByteBuffer(string: "title=Hi")
                ) { statuses.append($0.status) }
            }
            return statuses
        }
        #expect(statuses == [.created, .created, .tooManyRequests])
    }

    @Test func slowBodiesTimeOutAndHugeHeadersAreRefused() async throws {
        var service = try await TestGallery()
        service.settings.formReadTimeout = .milliseconds(500)
        let state = service.state
        let answers = try await service.testLive { client in
            let port = try #require(client.port)
            // Headers promise 100 bytes; 5 arrive, then nothing.
            let slow = try await RawHTTP.exchange(
                port: port,
                "POST /upload HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/x-www-form-urlencoded\r\n"
                    + "Content-Length: 100\r\n\r\ntitle", waitSeconds: 15)
            let huge = try await RawHTTP.exchange(
                port: port,
                "GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Filler: \(String(repeating: "a", count: 20_000))\r\n\r\n",
                waitSeconds: 15)
            return (slow, huge)
        }
        print(
            "slow client: 5 of 100 promised bytes then silence -> \(answers.0.prefix(12)); 20 KiB header -> \(answers.1.prefix(12))"
        )
        #expect(answers.0.hasPrefix("HTTP/1.1 408"), "\(answers.0.prefix(80))")
        #expect(answers.1.hasPrefix("HTTP/1.1 400"), "\(answers.1.prefix(80))")
        #expect(service.state == state)
    }

    /// The deadline counts from the head: a client that keeps a body alive one byte at a time, well
    /// inside any idle timeout, still gets 408 once the deadline passes.
    @Test func aTrickledBodyTimesOutFromItsHead() async throws {
        var service = try await TestGallery()
        service.settings.formReadTimeout = .milliseconds(500)
        let state = service.state
        let (answer, seconds) = try await service.testLive { client in
            let port = try #require(client.port)
            let start = ContinuousClock.now
            let answer = try await RawHTTP.exchange(
                port: port,
                "POST /upload HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/x-www-form-urlencoded\r\n"
                    + "Content-Length: 1000\r\n\r\nt",
                trickle: Array(repeating: "a", count: 150), interval: 0.1, waitSeconds: 30)
            let elapsed = ContinuousClock.now - start
            return (answer, Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18)
        }
        print("trickled body, 1 byte every 100 ms, deadline 500 ms -> \(answer.prefix(12)) after \(seconds) s")
        #expect(answer.hasPrefix("HTTP/1.1 408"), "\(answer.prefix(80))")
        // 150 bytes at 100 ms would take 15 s: the answer came while the body was still trickling
        // (about a second alone; the bound leaves room for a loaded machine).
        #expect(seconds < 10)
        #expect(service.state == state)
    }
}

extension LimitRouteTests {
    /// Issue 12, item 3: the body deadline covered only POST and PUT, so a GET with
    /// `Content-Length: 100` trickled a byte at a time held its connection as long as the client liked
    /// (here: until the test gave up after 15 s). Now the body is refused (400) and the connection
    /// closed by the deadline.
    @Test(arguments: ["GET /healthz", "GET /index.html", "HEAD /healthz", "DELETE /upload"])
    func aBodyOnAMethodThatTakesNoneIsRefusedAndCutOff(_ line: String) async throws {
        var service = try await TestGallery()
        service.settings.formReadTimeout = .milliseconds(500)
        let (answer, seconds) = try await service.testLive { client in
            let port = try #require(client.port)
            let start = ContinuousClock.now
            let answer = try await RawHTTP.exchange(
                port: port, "\(line) HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 1000\r\n\r\nt",
                trickle: Array(repeating: "a", count: 150), interval: 0.1, waitSeconds: 30)
            let elapsed = ContinuousClock.now - start
            return (answer, Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18)
        }
        print("\(line) with a trickled body -> \(answer.prefix(12)), connection closed after \(seconds) s")
        #expect(answer.hasPrefix("HTTP/1.1 400"), "\(answer.prefix(120))")
        #expect(seconds < 10)
    }
}

/// One request written on a plain socket, the answer read until the server closes or `waitSeconds` pass.
enum RawHTTP {
    /// `exchange` on a thread of its own: its blocking reads must not hold one of the few threads of
    /// the concurrency pool that the server under test (and the tests running beside it) need.
    /// `headOnly`: return once the answer's head has arrived, without waiting for the connection to close.
    static func exchange(
        port: Int, _ request: String, trickle: [String] = [], interval: Double = 0, waitSeconds: Double,
        headOnly: Bool = false
    ) async throws -> String {
        try await withCheckedThrowingContinuation { continuation in
            Thread {
                continuation.resume(
                    with: Result {
                        try blockingExchange(
                            port: port, request, trickle: trickle, interval: interval, waitSeconds: waitSeconds,
                            headOnly: headOnly)
                    })
            }.start()
        }
    }

    /// `trickle`: pieces sent after the request, one every `interval` seconds, until an answer starts.
    private static func blockingExchange(
        port: Int, _ request: String, trickle: [String] = [], interval: Double = 0, waitSeconds: Double,
        headOnly: Bool
    ) throws -> String {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw POSIXError(.EIO) }
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        guard connected == 0 else { throw POSIXError(.ECONNREFUSED) }
        var timeout = timeval(tv_sec: Int(waitSeconds), tv_usec: 0)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        _ = request.withCString { send(fd, $0, strlen($0), Int32(MSG_NOSIGNAL)) }
        var answer: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 4096)
        for piece in trickle {
            usleep(UInt32(interval * 1_000_000))
            let early = recv(fd, &buffer, buffer.count, Int32(MSG_DONTWAIT))
            if early > 0 {
                answer.append(contentsOf: buffer[0..<early])
                break
            }
            _ = piece.withCString { send(fd, $0, strlen($0), Int32(MSG_NOSIGNAL)) }
        }
        while !(headOnly && answer.firstRange(of: Array("\r\n\r\n".utf8)) != nil) {
            let count = recv(fd, &buffer, buffer.count, 0)
            if count <= 0 { break }
            answer.append(contentsOf: buffer[0..<count])
        }
        return String(decoding: answer, as: UTF8.self)
    }
}

extension LimitRouteTests {
    /// Issue 12, item 4: one global cap of pending jobs and no other: a few addresses (or one IPv6
    /// /64) kept the queue full and everyone else got 503. Now each IPv4 address and each IPv6 /64
    /// holds at most `maximumPendingPerClient` (429 with Retry-After beyond it), and a job whose
    /// upload landed gives its slot back. (Before: the fourth presign from one address got 201.)
    @Test func aFloodFromOneAddressOrOneIPv6NetworkNeverBlocksAnother() async throws {
        var service = try await TestGallery()
        service.settings.rateLimit = 0
        service.settings.maximumPendingPerClient = 3
        service.settings.trustedProxies = ["127.0.0.1"]
        let queue = service.queue
        let answers = try await service.testLive { client in
            var answers: [(String, HTTPResponse.Status, String?)] = []
            func presign(_ address: String) async throws {
                var headers = Self.form
                headers[HTTPField.Name("X-Forwarded-For")!] = address
                headers[.accept] = "application/json"
                try await client.execute(
                    uri: "/upload", method: .post, headers: headers, body: ByteBuffer(string: "title=Hi")
                ) { answers.append((address, $0.status, $0.headers[.retryAfter])) }
            }
            for _ in 0..<4 { try await presign("198.51.100.1") }
            for address in ["2001:db8:1:2::1", "2001:db8:1:2:ffff::9", "2001:db8:1:2::77", "2001:db8:1:2::1"] {
                try await presign(address)
            }
            try await presign("198.51.100.2")
            try await presign("2001:db8:1:3::1")  // the next /64
            // One of the first address's uploads lands: its job is removed, its slot comes back.
            let first = try #require(try await queue.pending().first)
            try await queue.remove(key: first.key)
            try await presign("198.51.100.1")
            return answers
        }
        for (address, status, retryAfter) in answers {
            print("presign from \(address) -> \(status.code)\(retryAfter.map { " Retry-After: \($0)" } ?? "")")
        }
        #expect(
            answers.map(\.1.code) == [201, 201, 201, 429, 201, 201, 201, 429, 201, 201, 201])
        for (_, status, retryAfter) in answers where status == .tooManyRequests {
            // The first slot lapses with its job: 25 minutes.
            #expect(retryAfter.flatMap(Int.init).map { (1...1500).contains($0) } == true)
        }
    }

    @Test func clientsAreCountedByIPv4AddressAndIPv6Network() {
        #expect(ClientGroup.of("2001:db8:1:2::1") == ClientGroup.of("2001:0db8:0001:0002:ffff:1:2:3"))
        #expect(ClientGroup.of("2001:db8:1:2::1") != ClientGroup.of("2001:db8:1:3::1"))
        #expect(ClientGroup.of("2001:db8:1:2::1") == "2001:db8:1:2::/64")
        #expect(ClientGroup.of("::ffff:198.51.100.7") == "198.51.100.7")
        #expect(ClientGroup.of("198.51.100.7") == "198.51.100.7")
        #expect(ClientGroup.of("unknown") == "unknown")
    }
}
