import Foundation
import GalleryKit
import HTTPTypes
import Hummingbird
import Logging
import NIOCore
import SigV4

/// Maps every error the routes throw to a response, in one place: bucket errors as S3's XML,
/// the service's own as text (or JSON when the client asked for JSON). Unexpected errors become
/// a 500 with no detail; the detail goes to the log.
struct ErrorMapping<Context: RequestContext>: RouterMiddleware {
    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws
        -> Response
    {
        do {
            return try await next(request, context)
        } catch let error as PostUploadError {
            // A refused upload is answered as soon as it is refused, often with much of its body
            // unread: close the connection rather than read the rest.
            var response = Self.s3Error(
                code: error.code, message: error.message, status: error.httpStatus, resource: request.uri.path)
            response.headers[.connection] = "close"
            return response
        } catch let error as ServiceError {
            if let page = error.page, !Self.wantsJSON(request) {
                return HTMLPage.response(page.html, status: error.status, policy: page.policy, headers: error.headers)
            }
            return Self.message(error.message, status: error.status, headers: error.headers, request: request)
        } catch let error as CurationError {
            let status: HTTPResponse.Status =
                switch error {
                case .notAnUpload: .badRequest
                case .unknown: .notFound
                case .wrongStanding: .conflict
                case .otherSettings: .internalServerError
                }
            return Self.message(error.description, status: status, request: request)
        } catch let error as JobQueueError {
            switch error {
            case .full(_, let retryAfter):
                return Self.message(
                    error.description, status: .serviceUnavailable, headers: [.retryAfter: String(retryAfter)],
                    request: request)
            case .storage:
                return storageFailed(error, request: request, context: context)
            }
        } catch let error as Title.Problem {
            return Self.message(error.description, status: .badRequest, request: request)
        } catch let error as ObjectStoreError {
            switch error {
            case .invalidKey, .invalidTag:
                return Self.message(error.description, status: .badRequest, request: request)
            case .noSuchKey:
                return Self.message(error.description, status: .notFound, request: request)
            case .preconditionFailed:
                // Writers that race re-read and try again themselves; one that reaches here gave up.
                return Self.message(
                    "The gallery changed while this was written; try again.", status: .conflict, request: request)
            case .io:
                return storageFailed(error, request: request, context: context)
            }
        } catch let error as FileSystemError {
            return storageFailed(error, request: request, context: context)
        } catch let error as any StoreFailure {
            context.logger.error("the bucket failed", metadata: ["error": "\(error)"])
            if error.isTransient {
                return Self.message(
                    "The bucket is not answering; try again in a minute.", status: .serviceUnavailable,
                    headers: [.retryAfter: "30"], request: request)
            }
            return Self.message("The bucket refused the request.", status: .badGateway, request: request)
        } catch let error as any HTTPResponseError {
            if error.status == .contentTooLarge {
                return Self.message("The request body is too large.", status: .contentTooLarge, request: request)
            }
            throw error
        } catch {
            context.logger.error("request failed", metadata: ["error": "\(error)", "path": "\(request.uri.path)"])
            return Self.message("Something went wrong on our side.", status: .internalServerError, request: request)
        }
    }

    /// The gallery's own storage (the local bucket's folder, the job queue's) failed: the detail goes
    /// to the log, the visitor is asked to try again.
    private func storageFailed(_ error: any Error, request: Request, context: Context) -> Response {
        context.logger.error("storage failed", metadata: ["error": "\(error)"])
        return Self.message(
            "The gallery's storage failed; try again shortly.", status: .serviceUnavailable, request: request)
    }

    static func wantsJSON(_ request: Request) -> Bool {
        request.headers[.accept]?.contains("application/json") == true
    }

    static func message(_ text: String, status: HTTPResponse.Status, headers: HTTPFields = [:], request: Request)
        -> Response
    {
        var headers = headers
        let body: String
        if wantsJSON(request) {
            headers[.contentType] = "application/json"
            let object = ["error": text]
            body = (try? JSONEncoder().encode(object)).map { String(decoding: $0, as: UTF8.self) } ?? "{}"
        } else {
            headers[.contentType] = "text/plain; charset=utf-8"
            body = text + "\n"
        }
        return Response(status: status, headers: headers, body: .init(byteBuffer: ByteBuffer(string: body)))
    }

    /// S3's error document.
    static func s3Error(code: String, message: String, status: Int, resource: String) -> Response {
        let xml = """
            <?xml version="1.0" encoding="UTF-8"?>
            <Error><Code>\(MarkupEscaping.escape(code))</Code><Message>\(MarkupEscaping.escape(message))</Message><Resource>\(MarkupEscaping.escape(resource))</Resource><RequestId>\(UUID().uuidString)</RequestId></Error>
            """
        return Response(
            status: .init(code: status), headers: [.contentType: "application/xml"],
            body: .init(byteBuffer: ByteBuffer(string: xml)))
    }
}
