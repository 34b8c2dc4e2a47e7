public import Foundation

/// Where SNS lives: `https://sns.<region>.amazonaws.com` (or `.amazonaws.com.cn` in China), with no
/// user, password or other port. The one rule for the URLs the service fetches on an SNS message's
/// word: signing certificates and subscription confirmations, so a forged message cannot make it
/// fetch an arbitrary URL.
public enum SNSHost {
    /// Whether `url` is on an SNS host under this rule.
    public static func isTrusted(_ url: URL) -> Bool {
        guard url.scheme == "https", let host = url.host?.lowercased(), url.user == nil, url.password == nil,
            url.port == nil || url.port == 443
        else { return false }
        let parts = host.split(separator: ".", omittingEmptySubsequences: false)
        let amazon =
            (parts.count == 4 && parts[2] == "amazonaws" && parts[3] == "com")
            || (parts.count == 5 && parts[2] == "amazonaws" && parts[3] == "com" && parts[4] == "cn")
        guard amazon, parts[0] == "sns" else { return false }
        let region = parts[1]
        return !region.isEmpty
            && region.allSatisfy { ("a"..."z").contains($0) || ("0"..."9").contains($0) || $0 == "-" }
    }
}
