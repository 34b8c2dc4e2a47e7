public import Foundation

/// The form fields of a presigned POST upload, in the order the form should send them.
public struct PresignedPost: Sendable, Hashable {
    /// `(name, value)` pairs; the file field goes after all of them.
    public let fields: [Field]
    /// When the policy stops being accepted.
    public let expiration: Date

    /// One form field.
    public struct Field: Sendable, Hashable {
        public let name: String
        public let value: String
        public init(_ name: String, _ value: String) {
            self.name = name
            self.value = value
        }
    }

}
