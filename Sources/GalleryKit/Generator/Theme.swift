import Crypto
public import Foundation
public import Mustache
import SigV4

/// The look of the gallery: mustache templates and static assets from a `site/` folder.
///
/// `templates/` holds `index`, `page`, `photo` and `upload` (plus partials they include); everything in
/// `assets/` is copied into the bucket under `assets/`.
public struct Theme: Sendable {
    /// The loaded templates.
    public let library: MustacheLibrary
    /// Asset files, by their path under `assets/`.
    public let assets: [String: Data]
    /// A digest of every template and asset, names and bytes: when it changes, the site must be
    /// rendered again in full.
    public let fingerprint: String

    /// The templates a theme must have.
    public static let requiredTemplates = ["index", "page", "photo", "upload"]

    /// Why a theme cannot be used.
    public struct Problem: Error, CustomStringConvertible {
        public let description: String
    }

    /// Loads the theme in `directory`.
    public init(directory: URL) async throws {
        let templates = directory.appendingPathComponent("templates")
        do {
            library = try await MustacheLibrary(directory: templates.path)
        } catch {
            throw Problem(description: "The theme's templates in \(templates.path) do not parse: \(error)")
        }
        for name in Self.requiredTemplates where library.getTemplate(named: name) == nil {
            throw Problem(description: "The theme in \(directory.path) has no templates/\(name).mustache.")
        }
        let assetsDirectory = directory.appendingPathComponent("assets")
        var assets: [String: Data] = [:]
        if let enumerator = FileManager.default.enumerator(atPath: assetsDirectory.path) {
            while let relative = enumerator.nextObject() as? String {
                guard enumerator.fileAttributes?[.type] as? FileAttributeType == .typeRegular,
                    let data = FileManager.default.contents(atPath: assetsDirectory.path + "/" + relative)
                else { continue }
                assets[relative] = data
            }
        }
        self.assets = assets
        var digest = SHA256()
        let templateFiles = FileManager.default.enumerator(atPath: templates.path)?.allObjects as? [String] ?? []
        for relative in templateFiles.sorted() {
            guard let data = FileManager.default.contents(atPath: templates.path + "/" + relative) else { continue }
            digest.update(data: Data("templates/\(relative)\0\(data.count)\0".utf8) + data)
        }
        for (relative, data) in assets.sorted(by: { $0.key < $1.key }) {
            digest.update(data: Data("assets/\(relative)\0\(data.count)\0".utf8) + data)
        }
        fingerprint = digest.finalize().hexString
    }

    /// Renders template `name` with `context`.
    public func render(_ name: String, _ context: Any) throws -> String {
        guard let html = library.render(context, withTemplate: name) else {
            throw Problem(description: "The theme has no template named '\(name)'.")
        }
        return html
    }

    /// The Content-Type to serve an asset with, from its extension.
    public static func contentType(forAsset path: String) -> String {
        switch (path as NSString).pathExtension.lowercased() {
        case "css": "text/css; charset=utf-8"
        case "js": "text/javascript; charset=utf-8"
        case "svg": "image/svg+xml"
        case "png": "image/png"
        case "jpg", "jpeg": "image/jpeg"
        case "gif": "image/gif"
        case "webp": "image/webp"
        case "ico": "image/x-icon"
        case "woff2": "font/woff2"
        case "txt": "text/plain; charset=utf-8"
        case "html": "text/html; charset=utf-8"
        default: "application/octet-stream"
        }
    }
}
