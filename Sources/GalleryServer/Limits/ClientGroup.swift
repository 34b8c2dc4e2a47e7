#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// The unit per-client limits count by: an IPv4 address, or an IPv6 /64 (one subscriber's
/// network: its holder can use any of 2^64 addresses, so counting by address would give it as
/// many allowances). An IPv4-mapped IPv6 address counts as its IPv4 address; anything that is not
/// an address (a name from a proxy, "unknown") counts as itself.
enum ClientGroup {
    static func of(_ address: String) -> String {
        var v6 = in6_addr()
        guard inet_pton(AF_INET6, address, &v6) == 1 else { return address }
        let bytes = withUnsafeBytes(of: &v6) { Array($0) }
        if bytes[0..<10].allSatisfy({ $0 == 0 }), bytes[10] == 0xFF, bytes[11] == 0xFF {
            return bytes[12..<16].map(String.init).joined(separator: ".")
        }
        let groups = stride(from: 0, to: 8, by: 2).map {
            String(UInt16(bytes[$0]) << 8 | UInt16(bytes[$0 + 1]), radix: 16)
        }
        return groups.joined(separator: ":") + "::/64"
    }
}
