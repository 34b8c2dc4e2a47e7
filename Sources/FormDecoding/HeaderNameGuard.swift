/// Watches a `multipart/form-data` body as it streams past and refuses it when a header name after
/// a delimiter holds a byte above 0x7F: MultipartKit 4.7.1 traps (it does not throw) on one, which
/// would stop the whole service, so no such byte may reach it. It also refuses header lines longer
/// than `maximumLineBytes`, which MultipartKit would hold (and copy) whole.
///
/// Header values may hold UTF-8 (browsers send file names that way); only names (the text before
/// `:` on each header line, or the whole line without one) are checked. Every delimiter counts,
/// wherever it stands (MultipartKit takes one after a preamble with no line break); one that falls
/// among header lines being read has nothing new to show. Errs on the side of refusing.
///
/// Linear in the body and independent of how it is split into chunks: each byte is looked at once,
/// the delimiter found with a Knuth–Morris–Pratt automaton. (Searching again from just after each
/// delimiter was quadratic: minutes of CPU for 2 MB of `--a`, before any signature was checked.)
struct HeaderNameGuard {
    /// What the bytes so far show.
    enum Verdict: Equatable {
        case admitted
        case nonASCIIName
        case longLine
    }

    /// The longest header line admitted.
    static let maximumLineBytes = 8192

    private enum Mode {
        /// Looking for the next delimiter; `matched` bytes of it seen.
        case searching(matched: Int)
        /// In the rest of the delimiter's line; `carriageReturn`: the last byte was CR.
        case delimiterLine(carriageReturn: Bool)
        /// In a header line: still in its name, its length so far (a pending CR not counted), the
        /// last byte was CR.
        case headerLine(inName: Bool, length: Int, carriageReturn: Bool)
    }

    private let delimiter: [UInt8]
    /// For each prefix length of `delimiter`, the length of its longest proper border.
    private let border: [Int]
    private var mode = Mode.searching(matched: 0)

    init(boundary: String) {
        delimiter = Array(("--" + boundary).utf8)
        var border = [Int](repeating: 0, count: delimiter.count)
        var length = 0
        for index in delimiter.indices.dropFirst() {
            while length > 0, delimiter[index] != delimiter[length] { length = border[length - 1] }
            if delimiter[index] == delimiter[length] { length += 1 }
            border[index] = length
        }
        self.border = border
    }

    /// Reads the next bytes of the body; once refused, the body is to be dropped.
    mutating func admits(_ bytes: UnsafeRawBufferPointer) -> Verdict {
        let carriageReturn = UInt8(ascii: "\r")
        let lineFeed = UInt8(ascii: "\n")
        for byte in bytes {
            switch mode {
            case .searching(var matched):
                while matched > 0, byte != delimiter[matched] { matched = border[matched - 1] }
                if byte == delimiter[matched] { matched += 1 }
                mode = matched == delimiter.count ? .delimiterLine(carriageReturn: false) : .searching(matched: matched)
            case .delimiterLine(let afterCR):
                mode =
                    afterCR && byte == lineFeed
                    ? .headerLine(inName: true, length: 0, carriageReturn: false)
                    : .delimiterLine(carriageReturn: byte == carriageReturn)
            case .headerLine(var inName, var length, let afterCR):
                if afterCR, byte == lineFeed {
                    // An empty line ends the headers; any other starts the next header line.
                    mode =
                        length == 0
                        ? .searching(matched: 0) : .headerLine(inName: true, length: 0, carriageReturn: false)
                    continue
                }
                if afterCR { length += 1 }  // a CR not followed by LF is part of the line
                if byte != carriageReturn {
                    length += 1
                    if inName, byte == UInt8(ascii: ":") {
                        inName = false
                    } else if inName, byte >= 0x80 {
                        return .nonASCIIName
                    }
                }
                if length > Self.maximumLineBytes { return .longLine }
                mode = .headerLine(inName: inName, length: length, carriageReturn: byte == carriageReturn)
            }
        }
        return .admitted
    }
}
