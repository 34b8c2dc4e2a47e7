/// A failure of a remote store (S3 answering 5xx, throttling, no answer), as opposed to bad input.
public protocol StoreFailure: Error, CustomStringConvertible {
    /// Whether the same request may succeed later.
    var isTransient: Bool { get }
}
