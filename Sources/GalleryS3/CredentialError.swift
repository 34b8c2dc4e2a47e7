import Foundation
import SigV4

/// Why no credentials could be found.
public struct CredentialError: Error, Sendable, CustomStringConvertible {
    public let description: String
    public init(_ description: String) { self.description = description }
}
