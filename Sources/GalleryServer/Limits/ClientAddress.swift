import Foundation
import HTTPTypes
import Hummingbird

/// Who a request comes from, for per-client limits.
///
/// The TCP peer's address, unless that peer is a reverse proxy the operator named with
/// `--trusted-proxy`: then the right-most address in `X-Forwarded-For` that is not itself a trusted
/// proxy. A client cannot pick its own identity by sending `X-Forwarded-For` to an untrusted port.
enum ClientAddress {
    static func resolve(peer: String?, forwardedFor: [String], trustedProxies: Set<String>) -> String {
        guard let peer else { return "unknown" }
        guard trustedProxies.contains(peer) else { return peer }
        // Split on the byte ',' (never on characters: U+070F would join the ',' after it and let a client
        // glue its own text onto the address the proxy appended).
        let hops = forwardedFor.flatMap { $0.utf8.split(separator: UInt8(ascii: ",")) }
            .map { String(decoding: $0, as: UTF8.self).trimmingCharacters(in: .whitespaces) }
            .filter { !$0.isEmpty }
        for hop in hops.reversed() where !trustedProxies.contains(hop) {
            return String(hop.prefix(64))
        }
        return hops.first.map { String($0.prefix(64)) } ?? peer
    }

    /// The group (IPv4 address or IPv6 /64) per-client limits count `request` under.
    static func group(
        of request: Request, context: some RemoteAddressRequestContext, trustedProxies: Set<String>
    ) -> String {
        ClientGroup.of(
            resolve(
                peer: context.remoteAddress?.ipAddress,
                forwardedFor: request.headers[values: HTTPField.Name("X-Forwarded-For")!],
                trustedProxies: trustedProxies))
    }
}
