import FormDecoding
import HTTPTypes
import Hummingbird
import NIOCore

/// A small URL-encoded form (the operators' and uploaders' buttons): its fields, each named once.
struct FormFields: Sendable {
    private let values: [String: String]

    /// The largest form body accepted.
    static let maximumBody = 8 * 1024

    /// Reads the form of `request`; 415 for another body type, 400 for a body that is not one or
    /// names a field twice.
    static func read(_ request: Request) async throws -> FormFields {
        guard let contentType = request.headers[.contentType], FormURLEncoded.isContentType(contentType) else {
            throw ServiceError(
                status: .unsupportedMediaType, message: "Send the form as application/x-www-form-urlencoded.")
        }
        let body = try await BodyReading.collect(request, upTo: maximumBody)
        guard let pairs = body.withUnsafeReadableBytes({ FormURLEncoded.decode(bytes: $0) }) else {
            throw ServiceError.badRequest("The form body is not valid URL-encoded UTF-8.")
        }
        var values: [String: String] = [:]
        for pair in pairs {
            guard values.updateValue(pair.value, forKey: pair.name) == nil else {
                throw ServiceError.badRequest("The form names '\(pair.name)' more than once.")
            }
        }
        return FormFields(values: values)
    }

    /// The field's value, or nil when the form has none.
    subscript(_ name: String) -> String? { values[name] }

    /// The field's value; 400 naming it when it is missing or empty.
    func required(_ name: String) throws -> String {
        guard let value = values[name], !value.isEmpty else {
            throw ServiceError.badRequest("The form needs a field named '\(name)'.")
        }
        return value
    }
}
