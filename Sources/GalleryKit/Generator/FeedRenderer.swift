import Foundation
import SigV4

/// Atom and JSON Feed 1.1 of the newest photos, with absolute URLs under the gallery's URL; each
/// entry links the photo's largest rendition.
struct FeedRenderer {
    let configuration: GalleryConfiguration
    static let atomKey = "feed.atom"
    static let jsonKey = "feed.json"

    private var base: String { configuration.galleryURL + "/" }

    private func newest(_ layout: SiteLayout) -> [GalleryPhoto] {
        layout.newestShown(configuration.feedLength)
    }

    private func imageURL(_ photo: GalleryPhoto) -> String { base + (photo.largest?.key ?? "") }

    func atom(_ layout: SiteLayout) -> GeneratedFile {
        let photos = newest(layout)
        let updated = photos.first.map { AmzDate($0.uploadedAt).iso8601 } ?? "1970-01-01T00:00:00Z"
        var xml = """
            <?xml version="1.0" encoding="utf-8"?>
            <feed xmlns="http://www.w3.org/2005/Atom">
            <title>\(MarkupEscaping.escape(configuration.siteTitle))</title>
            <id>\(MarkupEscaping.escape(base))</id>
            <updated>\(updated)</updated>
            <link rel="alternate" type="text/html" href="\(MarkupEscaping.escape(base))"/>
            <link rel="self" type="application/atom+xml" href="\(MarkupEscaping.escape(base + Self.atomKey))"/>

            """
        for photo in photos {
            let page = base + SiteLayout.photoPageKey(photo)
            let date = AmzDate(photo.uploadedAt).iso8601
            let image = imageURL(photo)
            xml += """
                <entry>
                <title>\(MarkupEscaping.escape(photo.title.text))</title>
                <id>\(MarkupEscaping.escape(page))</id>
                <link rel="alternate" type="text/html" href="\(MarkupEscaping.escape(page))"/>
                <link rel="enclosure" type="\(MarkupEscaping.escape(photo.largest?.contentType ?? ""))" length="\(photo.largest?.bytes ?? 0)" href="\(MarkupEscaping.escape(image))"/>
                <published>\(date)</published>
                <updated>\(date)</updated>
                <author><name>\(MarkupEscaping.escape(configuration.siteTitle))</name></author>
                <content type="html">\(MarkupEscaping.escape("<img src=\"\(MarkupEscaping.escape(image))\" alt=\"\(MarkupEscaping.escape(photo.title.text))\">"))</content>
                </entry>

                """
        }
        xml += "</feed>\n"
        return GeneratedFile(
            key: Self.atomKey, body: Data(xml.utf8), contentType: "application/atom+xml; charset=utf-8")
    }

    struct JSONFeed: Encodable {
        struct Item: Encodable {
            let id: String
            let url: String
            let title: String
            let image: String
            let content_html: String
            let date_published: String
        }
        let version = "https://jsonfeed.org/version/1.1"
        let title: String
        let home_page_url: String
        let feed_url: String
        let items: [Item]
    }

    func json(_ layout: SiteLayout) -> GeneratedFile {
        let feed = JSONFeed(
            title: configuration.siteTitle, home_page_url: base, feed_url: base + Self.jsonKey,
            items: newest(layout).map { photo in
                let page = base + SiteLayout.photoPageKey(photo)
                return .init(
                    id: page, url: page, title: photo.title.text, image: imageURL(photo),
                    content_html:
                        "<img src=\"\(MarkupEscaping.escape(imageURL(photo)))\" alt=\"\(MarkupEscaping.escape(photo.title.text))\">",
                    date_published: AmzDate(photo.uploadedAt).iso8601)
            })
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return GeneratedFile(
            key: Self.jsonKey, body: (try? encoder.encode(feed)) ?? Data(),
            contentType: "application/feed+json; charset=utf-8")
    }

}
