import Foundation
import GalleryKit
import HTTPTypes
import Hummingbird
import Logging
import NIOCore
import SNSVerification
import SigV4

/// `POST /events` (S3 notifications, directly, through SNS, or from a MinIO webhook) and
/// `POST /regenerate`; both need the configured token, as `Authorization: Bearer …` or `?token=`.
/// Without a configured token neither route exists.
struct EventRoutes<Context: RequestContext>: Sendable {
    let gallery: Gallery
    let token: String
    let signals: UploadSignals
    /// Fetches an SNS SubscribeURL (only ever called with a trusted one).
    let confirmSubscription: @Sendable (String) async throws -> Void
    /// Checks the signature of every SNS message.
    let snsVerifier: SNSSignatureVerifier
    /// Checks an SNS message's topic, age and novelty.
    let snsGate: SNSMessageGate

    func add(to router: Router<Context>) {
        router.post("/events") { request, context in try await events(request, context: context) }
        // MinIO checks that a webhook target is alive with HEAD.
        router.head("/events") { _, _ in Response(status: .ok) }
        router.post("/regenerate") { request, context in try await regenerate(request, context: context) }
    }

    func authorize(_ request: Request) throws {
        let bearer = request.headers[.authorization].flatMap { value -> String? in
            value.lowercased().hasPrefix("bearer ")
                ? String(value.dropFirst(7)).trimmingCharacters(in: .whitespaces) : nil
        }
        guard let given = bearer ?? request.uri.queryParameters["token"].map(String.init) else {
            throw ServiceError(
                status: .unauthorized,
                message: "This route needs the events token (Authorization: Bearer … or ?token=…).",
                headers: [.wwwAuthenticate: "Bearer"])
        }
        guard ConstantTime.equals(given, token) else {
            throw ServiceError(status: .forbidden, message: "The events token is wrong.")
        }
    }

    func events(_ request: Request, context: Context) async throws -> Response {
        try authorize(request)
        let body = try await BodyReading.collect(request, upTo: EventDelivery.maximumBodyBytes)
        // Decoded once: the SNS signature check and the events both work from this envelope.
        let envelope: EventEnvelope
        do {
            envelope = try EventEnvelope.decode(Data(body.readableBytesView))
        } catch .unsignedSNS(let problem) {
            throw ServiceError(status: .forbidden, message: "Unsigned SNS message refused: \(problem)")
        } catch {
            throw ServiceError.badRequest("Not an S3, SNS or MinIO event: \(error)")
        }
        var admitted: SNSMessage?
        if case .sns(let message) = envelope {
            guard try await admit(message, context: context) == .fresh else {
                context.logger.info("ignored an SNS message delivered before")
                return Response(
                    status: .ok, headers: [.contentType: "application/json"],
                    body: .init(byteBuffer: ByteBuffer(string: #"{"accepted":0,"ignored":0,"duplicate":true}"#)))
            }
            admitted = message
        }
        do {
            return try await handle(envelope, context: context)
        } catch {
            // Not acted on: SNS delivers it again, and then it must not pass for a duplicate.
            if let admitted { snsGate.forget(admitted) }
            throw error
        }
    }

    /// Acts on an event envelope whose SNS signature, if any, passed.
    private func handle(_ envelope: EventEnvelope, context: Context) async throws -> Response {
        let delivery: EventDelivery
        do {
            delivery = try EventDelivery(envelope)
        } catch {
            throw ServiceError.badRequest("Not an S3, SNS or MinIO event: \(error)")
        }
        if let url = delivery.subscribeURL {
            guard SNSMessage.isTrustedSubscribeURL(url) else {
                context.logger.warning("refused to confirm an SNS subscription at an untrusted URL")
                throw ServiceError.badRequest(
                    "SubscribeURL must be https on sns.<region>.amazonaws.com(.cn); this one is not confirmed.")
            }
            try await confirmSubscription(url)
            context.logger.notice("confirmed the SNS subscription")
            return Response(status: .ok)
        }
        let uploads = delivery.createdKeys.filter { $0.hasPrefix(gallery.configuration.uploadPrefix) }
        for key in uploads { signals.objectCreated(key) }
        let ignored = delivery.ignored + delivery.createdKeys.count - uploads.count
        context.logger.info("received events", metadata: ["accepted": "\(uploads.count)", "ignored": "\(ignored)"])
        return Response(
            status: .ok, headers: [.contentType: "application/json"],
            body: .init(byteBuffer: ByteBuffer(string: #"{"accepted":\#(uploads.count),"ignored":\#(ignored)}"#)))
    }

    /// An SNS message must carry a valid SNS signature besides the token, come from a trusted topic
    /// and be fresh; returns whether it is fresh or was delivered before.
    func admit(_ message: SNSMessage, context: Context) async throws -> SNSMessageGate.Admission {
        do {
            try await snsVerifier.verify(message)
        } catch {
            context.logger.warning("refused an SNS message", metadata: ["problem": "\(error)"])
            throw ServiceError(status: .forbidden, message: "The SNS message's signature was refused: \(error)")
        }
        do {
            return try await snsGate.admit(message)
        } catch let error as ServiceError {
            context.logger.warning(
                "refused an SNS message", metadata: ["topic": "\(message.topicARN)", "problem": "\(error.message)"])
            throw error
        }
    }

    func regenerate(_ request: Request, context: Context) async throws -> Response {
        try authorize(request)
        await gallery.scheduler.request()
        return Response(
            status: .accepted, headers: [.contentType: "text/plain; charset=utf-8"],
            body: .init(byteBuffer: ByteBuffer(string: "A rebuild is on its way.\n")))
    }
}
