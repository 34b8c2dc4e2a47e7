import SigV4
import Testing

struct ConstantTimeTests {
    @Test func equalAndUnequalStrings() {
        #expect(ConstantTime.equals("secret-token", "secret-token"))
        #expect(!ConstantTime.equals("secret-token", "secret-tokeN"))
        #expect(!ConstantTime.equals("secret-token", "secret-toke"))
        #expect(!ConstantTime.equals("", "x"))
        #expect(ConstantTime.equals("", ""))
    }

    /// Issue 12, item 11: the length difference was cut to 8 bits and the shorter input padded with
    /// NULs, so a token followed by 256 (or 512, …) NUL bytes compared equal to the token.
    @Test(arguments: [256, 512, 65_536])
    func aSecretFollowedByNULBytesIsNotTheSecret(_ count: Int) {
        let token = "events-token-for-tests"
        #expect(!ConstantTime.equals(token + String(repeating: "\0", count: count), token))
        #expect(!ConstantTime.equals(token, token + String(repeating: "\0", count: count)))
    }
}
