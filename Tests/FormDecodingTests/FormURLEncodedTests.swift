import Testing

@testable import FormDecoding

/// URL-encoded forms (the title form, the review and manage forms): the media type, and pairs decoded
/// from the body's bytes as they came.
struct FormURLEncodedTests {
    @Test(arguments: [
        ("application/x-www-form-urlencoded", true), ("Application/X-WWW-Form-URLEncoded", true),
        ("application/x-www-form-urlencoded; charset=UTF-8", true), (" \tapplication/x-www-form-urlencoded \t;x", true),
        ("application/x-www-form-urlencodedx", false), ("application/x-www-form-urlencode", false),
        ("multipart/form-data; boundary=x", false), ("", false), (";application/x-www-form-urlencoded", false),
        ("application/x-www-form-urlencoded\u{212A}", false), ("text/plain", false),
    ])
    func recognisesTheMediaTypeOnly(contentType: String, expected: Bool) {
        #expect(FormURLEncoded.isContentType(contentType) == expected)
    }

    @Test func decodesPairsInOrder() throws {
        let pairs = try #require(FormURLEncoded.decode("title=Z%C3%BCrich+%E6%9D%B1%E4%BA%AC&empty=&flag&a=b=c"))
        #expect(pairs.map(\.name) == ["title", "empty", "flag", "a"])
        #expect(pairs.map(\.value) == ["Zürich 東京", "", "", "b=c"])
        #expect(FormURLEncoded.decode("title=%zz") == nil)
        #expect(FormURLEncoded.decode("title=%C3%28") == nil)
    }

    /// The route decodes the body's bytes as they came: UTF-8 sent raw is read, bytes that are not
    /// UTF-8 make the form invalid (a 400), never text with replacement characters.
    @Test func decodesRawBytesAndRefusesOnesThatAreNotUTF8() throws {
        let pairs = try #require(FormURLEncoded.decode(bytes: Array("title=Z\u{FC}rich+%21&x=1".utf8)))
        #expect(pairs.map(\.name) == ["title", "x"])
        #expect(pairs.map(\.value) == ["Zürich !", "1"])
        #expect(FormURLEncoded.decode(bytes: Array("title=".utf8) + [0xFF]) == nil)
        #expect(FormURLEncoded.decode(bytes: [0xC3] + Array("=x".utf8)) == nil)
        #expect(FormURLEncoded.decode(bytes: [UInt8]())?.isEmpty == true)
    }

    /// Found by the fuzzer: U+070F joins the `&` after it into one grapheme cluster, so a split by
    /// characters saw one field where a browser sends two.
    @Test func splitsOnBytesNotGraphemeClusters() throws {
        let pairs = try #require(FormURLEncoded.decode("\u{070F}&title=Hello"))
        #expect(pairs.map(\.name) == ["\u{070F}", "title"])
        #expect(pairs.last?.value == "Hello")
    }
}
