import Foundation
import SigV4
import TestSupport
import Testing

@testable import GalleryKit

/// The names the theme's templates use, held to the contexts the renderer hands them.
struct TemplateFieldTests {
    static let templates = [
        "header", "footer", "index", "page", "photos", "photo", "upload", "publishing", "notice", "invite", "review",
        "manage",
    ]

    /// Every `{{name}}`, `{{{name}}}`, `{{#name}}`, `{{^name}}` and `{{/name}}` in a template (not partials or comments).
    static func names(in template: String) -> Set<String> {
        var names = Set<String>()
        var rest = Substring(template)
        while let open = rest.range(of: "{{") {
            guard let close = rest[open.upperBound...].range(of: "}}") else { break }
            var tag = rest[open.upperBound..<close.lowerBound].trimmingCharacters(in: .whitespaces)
            rest = rest[close.upperBound...]
            if tag.hasPrefix("{") { tag = String(tag.dropFirst()) }
            guard let first = tag.first, first != ">", first != "!" else { continue }
            if "#^/&".contains(first) { tag = String(tag.dropFirst()).trimmingCharacters(in: .whitespaces) }
            if !tag.isEmpty && tag != "." { names.insert(tag) }
        }
        return names
    }

    @Test(arguments: templates)
    func everyNameATemplateUsesIsAContextField(_ template: String) throws {
        let text = try String(
            contentsOf: Fixtures.site.appendingPathComponent("templates/\(template).mustache"), encoding: .utf8)
        let unknown = Self.names(in: text).subtracting(PageRenderer.contextFieldNames)
        #expect(unknown.isEmpty, "\(template).mustache uses names no context has: \(unknown.sorted())")
    }

    @Test func theCheckFindsAMisspeltName() {
        let names = Self.names(in: "{{#photos}}<img src=\"{{scr}}\">{{{signedFields}}}{{/photos}}{{> header}}{{! x }}")
        #expect(names == ["photos", "scr", "signedFields"])
        #expect(names.subtracting(PageRenderer.contextFieldNames) == ["scr"])
    }

    /// Titles reach the templates as plain text: whatever a tag holds (set outside the service, say) is
    /// escaped in every slot of every template, except the upload page's signed fields, which the
    /// renderer escapes itself (`theSignedFieldsAreEscapedByTheRenderer`).
    @Test(arguments: ["index", "page", "photo", "upload", "publishing", "notice", "invite", "review", "manage"])
    func templatesEscapeEveryString(_ template: String) async throws {
        let theme = try await Theme(directory: Fixtures.site)
        let hostile = #"<img src=x onerror="alert(1)">'&"#
        var item: [String: Any] = [:]
        for name in PageRenderer.contextFieldNames { item[name] = hostile }
        item["eager"] = false
        var context = item
        context["photos"] = [item]
        context["photo"] = item
        context["newer"] = item
        context["older"] = item
        context["pages"] = [item]
        context["contentTypes"] = [item]
        // The upload page's unescaped slots get what the renderer puts there, from hostile values.
        context["signedFields"] = PageRenderer.hiddenInputs([.init(hostile, hostile)])
        context["manageLink"] = PageRenderer.manageParagraph(hostile)
        context["pending"] = [item]
        context["recent"] = [item]
        context["signedIn"] = template == "review" ? true : hostile
        context["canRemove"] = true
        let html = try theme.render(template, context)
        #expect(!html.contains("<img src=x"))
        #expect(!html.contains(#"onerror="alert"#))
        #expect(html.contains("&lt;img src=x onerror=&quot;alert(1)&quot;&gt;&#39;&amp;"))
    }

    @Test func theSignedFieldsAreEscapedByTheRenderer() {
        let hostile = #"<img src=x onerror="alert(1)">'&"#
        let html = PageRenderer.hiddenInputs([.init(hostile, hostile)])
        #expect(!html.contains("<img"))
        #expect(html.contains(#"name="&lt;img src=x onerror=&quot;alert(1)&quot;&gt;&#39;&amp;""#))
    }
}
