import Mustache

// Template contexts answer the templates' lookups by name. Without this, swift-mustache finds every
// value by reflection (`Mirror`), which was a third of the CPU time of `POST /upload`.
extension PageRenderer.PhotoContext: MustacheParent {
    func child(named key: String) -> Any? {
        switch key {
        case "title": title
        case "imageURL": imageURL
        case "pageURL": pageURL
        case "uploadedAt": uploadedAt
        case "uploadedISO": uploadedISO
        default: nil
        }
    }
}

extension PageRenderer.PageLink: MustacheParent {
    func child(named key: String) -> Any? {
        switch key {
        case "number": number
        case "url": url
        default: nil
        }
    }
}

extension PageRenderer.ListContext: MustacheParent {
    func child(named key: String) -> Any? {
        switch key {
        case "contentSecurityPolicy": contentSecurityPolicy
        case "siteTitle": siteTitle
        case "pageTitle": pageTitle
        case "heading": heading
        case "root": root
        case "uploadURL": uploadURL
        case "maximumTitleLength": maximumTitleLength
        case "photos": photos
        case "hasPhotos": hasPhotos
        case "total": total
        case "isIndex": isIndex
        case "pages": pages
        case "hasPages": hasPages
        case "newerURL": newerURL
        case "olderURL": olderURL
        case "atomURL": atomURL
        case "jsonFeedURL": jsonFeedURL
        default: nil
        }
    }
}

extension PageRenderer.PhotoPageContext: MustacheParent {
    func child(named key: String) -> Any? {
        switch key {
        case "contentSecurityPolicy": contentSecurityPolicy
        case "siteTitle": siteTitle
        case "pageTitle": pageTitle
        case "root": root
        case "photo": photo
        case "newer": newer
        case "older": older
        case "galleryURL": galleryURL
        case "pageURL": pageURL
        default: nil
        }
    }
}

extension PageRenderer.UploadPageContext: MustacheParent {
    func child(named key: String) -> Any? {
        switch key {
        case "contentSecurityPolicy": contentSecurityPolicy
        case "siteTitle": siteTitle
        case "pageTitle": pageTitle
        case "root": root
        case "title": title
        case "action": action
        case "signedFields": signedFields
        case "contentTypes": contentTypes
        case "accept": accept
        case "expiresAt": expiresAt
        case "expiresISO": expiresISO
        case "maximumMegabytes": maximumMegabytes
        case "galleryURL": galleryURL
        default: nil
        }
    }
}

extension PageRenderer.ContentTypeOption: MustacheParent {
    func child(named key: String) -> Any? {
        switch key {
        case "value": value
        case "label": label
        default: nil
        }
    }
}
