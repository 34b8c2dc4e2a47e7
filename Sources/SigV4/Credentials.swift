/// An AWS access key pair, optionally with the session token of temporary credentials.
///
/// `description` never prints the secret, so a `Credentials` value is safe in logs and errors.
public struct Credentials: Sendable, Hashable, CustomStringConvertible, CustomDebugStringConvertible, CustomReflectable
{
    /// The access key ID (`AKIA…` or `ASIA…`); not secret.
    public let accessKeyID: String
    /// The secret access key; never logged.
    public let secretAccessKey: String
    /// The session token of temporary credentials; never logged.
    public let sessionToken: String?

    /// Creates credentials from their parts.
    public init(accessKeyID: String, secretAccessKey: String, sessionToken: String? = nil) {
        self.accessKeyID = accessKeyID
        self.secretAccessKey = secretAccessKey
        self.sessionToken = sessionToken
    }

    public var description: String {
        "Credentials(accessKeyID: \(accessKeyID), secretAccessKey: <redacted>\(sessionToken == nil ? "" : ", sessionToken: <redacted>"))"
    }

    public var debugDescription: String { description }

    public var customMirror: Mirror {
        Mirror(self, children: ["accessKeyID": accessKeyID, "secretAccessKey": "<redacted>"], displayStyle: .struct)
    }
}
