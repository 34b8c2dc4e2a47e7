import Testing

@testable import GalleryKit

struct TitleTests {
    @Test(arguments: [
        ("  Sunset   over\tthe\nharbour  ", "Sunset over the harbour"),
        ("Zürich", "Zürich"),
        ("東京タワー", "東京タワー"),
        ("Ελλάδα 2024", "Ελλάδα 2024"),
        ("Zu\u{0308}rich", "Zürich"),  // decomposed ü is composed, not dropped
        ("a+b=c: x/y @home_1.0-2", "a+b=c: x/y @home_1.0-2"),  // every symbol S3 allows
        ("<script>alert('x')</script>", "scriptalertx/script"),
        ("Tom & Jerry's \"best\" day!", "Tom Jerrys best day"),
        ("📷 Camera", "Camera"),
    ])
    func normalises(_ input: String, _ expected: String) throws {
        #expect(try Title(normalizing: input).text == expected)
    }

    /// The ASCII path classifies bytes by hand; every ASCII character, alone and between letters and
    /// spaces, must come out as the Unicode-property path has it.
    @Test func asciiPathAgreesWithUnicodeProperties() {
        for byte in UInt8(0)..<0x80 {
            let character = String(decoding: [byte], as: UTF8.self)
            for input in [character, "a" + character + "b", " " + character + " x", "a " + character + "  b"] {
                #expect(Title.normalizeASCII(input) == Title.normalizeScalars(input), "byte \(byte)")
            }
        }
    }

    @Test(arguments: ["", "   ", "\n\t", "<>&\"'!?"])
    func emptyBecomesUntitled(_ input: String) throws {
        #expect(try Title(normalizing: input) == Title.untitled)
        #expect(Title.untitled.text == "Untitled")
    }

    @Test func acceptsExactlyTheMaximumLength() throws {
        let longest = String(repeating: "東", count: 256)
        #expect(try Title(normalizing: longest).text == longest)
        #expect(throws: Title.Problem.tooLong(length: 257)) { try Title(normalizing: longest + "x") }
        // Dropped characters do not count: the limit applies to what is stored.
        #expect(try Title(normalizing: String(repeating: "a", count: 256) + "<<<>>>").text.count == 256)
    }

    @Test func everyNormalisedTitleIsAValidTagValue() throws {
        for input in [
            "Zürich", "<b>bold</b>", "a\u{0000}b", "tab\there", "x\u{202E}y", String(repeating: "é", count: 256),
            "e\u{301}" + String(repeating: "e\u{301}", count: 255),  // 256 once composed
        ] {
            let title = try Title(normalizing: input)
            try TagRules.validate([ObjectTag(key: "Title", value: title.text)])
        }
        #expect(throws: Title.Problem.tooLong(length: 300)) {
            try Title(normalizing: String(repeating: "é", count: 300))
        }
    }
}
