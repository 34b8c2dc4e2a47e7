/// A call to SNS that did not go through: a subscription confirmation, a signing certificate, or a
/// URL setup cannot use. Its description names what failed.
public struct SNSRequestError: Error, Sendable, CustomStringConvertible {
    public let description: String
    public init(_ description: String) { self.description = description }
}
