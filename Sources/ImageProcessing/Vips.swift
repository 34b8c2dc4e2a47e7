import CVipsShim

/// libvips, opened and started once per process.
enum Vips {
    /// Nil once libvips is running; else why it is not.
    private static let failure: String? = {
        var message = [CChar](repeating: 0, count: 512)
        guard vips_shim_load(&message, message.count) != 0 else { return nil }
        return String(decoding: message.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }()

    /// Throws unless libvips is loaded and running.
    static func start() throws(ImageProcessingError) {
        if let failure { throw .libraryUnavailable(failure) }
    }

    /// What libvips reported since the last call, cleared.
    static func takeError() -> String {
        guard let message = vips_shim_take_error() else { return "libvips gave no reason" }
        defer { vips_shim_free(message) }
        let text = String(cString: message).split(whereSeparator: \.isNewline).joined(separator: "; ")
        return text.isEmpty ? "libvips gave no reason" : text
    }
}
