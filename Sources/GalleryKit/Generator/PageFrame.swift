/// A template rendered once with markers where the per-request values go, so each request only
/// joins strings instead of walking the template (the upload page is rendered on every presign).
///
/// Pure. A frame is made only when it provably renders what the template renders: the markers show
/// whether each value is escaped (`{{…}}`) or not (`{{{…}}}`), and a render with probe values
/// (every character HTML escapes, non-ASCII) must match the frame's byte for byte. A template that
/// transforms a value, or shows it more than its markers say, gets no frame; its caller renders in full.
public struct PageFrame: Sendable, Hashable {
    enum Piece: Sendable, Hashable {
        case text(String)
        case value(Int, escaped: Bool)
    }

    let pieces: [Piece]
    /// How many values `fill` takes.
    public let slotCount: Int

    /// Makes the frame for a template with `slotCount` values, `render` being the full render;
    /// nil when the template does more with a value than show it, escaped or not.
    public static func make(slotCount: Int, render: ([String]) throws -> String) rethrows -> PageFrame? {
        let markers = (0..<slotCount).map { "\u{E000}\($0)&\u{E001}" }
        guard let frame = parse(try render(markers), slotCount: slotCount) else { return nil }
        let probes = (0..<slotCount).map { "<a href=\"x\">Probe \($0) & ‘Zürich’ 's</a>" }
        return frame.fill(probes) == (try render(probes)) ? frame : nil
    }

    /// The page with `values` (in slot order) in place.
    public func fill(_ values: [String]) -> String {
        precondition(values.count == slotCount, "a frame for \(slotCount) values filled with \(values.count)")
        var page = ""
        page.reserveCapacity(
            pieces.reduce(0) {
                switch $1 {
                case .text(let text): $0 + text.utf8.count
                case .value(let slot, _): $0 + values[slot].utf8.count + 16
                }
            })
        for piece in pieces {
            switch piece {
            case .text(let text): page += text
            case .value(let slot, escaped: false): page += values[slot]
            case .value(let slot, escaped: true): page += MarkupEscaping.escape(values[slot])
            }
        }
        return page
    }

    /// Splits a render with markers into text and values.
    static func parse(_ rendered: String, slotCount: Int) -> PageFrame? {
        var pieces: [Piece] = []
        var rest = Substring(rendered)
        while let start = rest.firstIndex(of: "\u{E000}") {
            if start > rest.startIndex { pieces.append(.text(String(rest[..<start]))) }
            let afterStart = rest.index(after: start)
            guard let end = rest[afterStart...].firstIndex(of: "\u{E001}") else { return nil }
            let inside = rest[afterStart..<end]
            let digits = inside.prefix { $0.isASCII && $0.isNumber }
            guard let slot = Int(digits), slot < slotCount else { return nil }
            switch inside[digits.endIndex...] {
            case "&": pieces.append(.value(slot, escaped: false))
            case "&amp;": pieces.append(.value(slot, escaped: true))
            default: return nil
            }
            rest = rest[rest.index(after: end)...]
        }
        if !rest.isEmpty { pieces.append(.text(String(rest))) }
        return PageFrame(pieces: pieces, slotCount: slotCount)
    }
}
