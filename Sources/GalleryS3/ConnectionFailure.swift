import AsyncHTTPClient
import NIOCore
import NIOPosix

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Why a request got no answer, as far as it matters for retrying: a refused connection or a name
/// that does not resolve will not mend in the next seconds (a wrong endpoint, nothing listening),
/// so they are retried briefly; anything else (a reset, a timeout, a dropped connection) may be a
/// passing fault and keeps the full backoff.
enum ConnectionFailure: Equatable {
    case refused
    case unresolved
    case other

    init(_ error: any Error) {
        switch error {
        case let error as IOError where error.errnoCode == ECONNREFUSED: self = .refused
        case is SocketAddressError: self = .unresolved
        case let error as NIOConnectionError:
            if error.connectionErrors.contains(where: { ConnectionFailure($0.error) == .refused }) {
                self = .refused
            } else if error.connectionErrors.isEmpty, error.dnsAError != nil || error.dnsAAAAError != nil {
                self = .unresolved
            } else {
                self = .other
            }
        default: self = .other
        }
    }

    /// Whether retrying soon is pointless: fail within seconds, not after the full backoff.
    var isLasting: Bool { self != .other }

    /// What happened, for a person: "connection refused", "the name does not resolve".
    func describe(_ error: any Error) -> String {
        switch self {
        case .refused: "connection refused (is anything listening there?)"
        case .unresolved: "the name does not resolve"
        case .other: "no answer: \(error)"
        }
    }
}
