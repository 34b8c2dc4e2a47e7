import HTTPTypes
import NIOCore
import NIOHTTPTypes

/// Raised into a request's body when its deadline passes; `BodyReading` answers it with 408.
struct BodyDeadlinePassed: Error, Sendable {
    let limit: Duration
}
