import GalleryKit
import Testing

struct MarkupEscapingTests {
    @Test(arguments: [
        (#"<script>alert("x") & 'y'</script>"#, "&lt;script&gt;alert(&quot;x&quot;) &amp; &#39;y&#39;&lt;/script&gt;"),
        ("Zürich 🌅 &amp;", "Zürich 🌅 &amp;amp;"),
        ("plain text, nothing to do", "plain text, nothing to do"),
        ("", ""),
        ("e\u{301}<", "e\u{301}&lt;"),
    ])
    func escapesTheFiveCharactersAndKeepsEverythingElse(_ input: String, _ expected: String) {
        #expect(MarkupEscaping.escape(input) == expected)
    }
}
