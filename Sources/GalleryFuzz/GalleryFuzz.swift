import Foundation

#if GALLERY_LIBFUZZER
    // Built with `-sanitize=fuzzer,address` (see `.ci/fuzz`): the entry point SwiftPM links as `main`
    // hands over to libFuzzer's driver, which mutates inputs for the target `GALLERY_FUZZ_TARGET`
    // names, starting from the seed corpus it is given.
    @_silgen_name("LLVMFuzzerRunDriver")
    private func runDriver(
        _ argc: UnsafeMutablePointer<Int32>,
        _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?>,
        _ callback: @convention(c) (UnsafePointer<UInt8>?, Int) -> Int32
    ) -> Int32

    @_cdecl("GalleryFuzz_main")
    public func fuzzMain(
        _ argc: Int32, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?
    ) -> Int32 {
        var count = argc
        var arguments = argv
        return runDriver(&count, &arguments) { bytes, size in fuzzOneInput(bytes, size) }
    }

    private let target: FuzzTarget = {
        let name = ProcessInfo.processInfo.environment["GALLERY_FUZZ_TARGET"] ?? ""
        guard let target = FuzzTarget(rawValue: name) else {
            fatalError("Set GALLERY_FUZZ_TARGET to one of: \(FuzzTarget.allCases.map(\.rawValue))")
        }
        return target
    }()

    // Also exported under libFuzzer's own name, for its `main` if the linker brings that in instead.
    @_cdecl("LLVMFuzzerTestOneInput")
    public func fuzzOneInput(_ bytes: UnsafePointer<UInt8>?, _ count: Int) -> Int32 {
        target.run(bytes.map { Data(bytes: $0, count: count) } ?? Data())
        return 0
    }
#else
    /// Without libFuzzer: replays inputs (files, or folders of files) through a target, as a regression
    /// check of the seed corpora: `gallery-fuzz <target> <path>…`.
    @main
    struct GalleryFuzz {
        static func main() {
            let arguments = CommandLine.arguments.dropFirst()
            guard let name = arguments.first, let target = FuzzTarget(rawValue: name) else {
                FileHandle.standardError.write(
                    Data(
                        "usage: gallery-fuzz <\(FuzzTarget.allCases.map(\.rawValue).joined(separator: "|"))> <path>…\n"
                            .utf8))
                exit(64)
            }
            var count = 0
            var accepted = 0
            for path in arguments.dropFirst() {
                var isFolder: ObjCBool = false
                guard FileManager.default.fileExists(atPath: path, isDirectory: &isFolder) else {
                    FileHandle.standardError.write(Data("no such file: \(path)\n".utf8))
                    exit(66)
                }
                let files =
                    isFolder.boolValue
                    ? ((try? FileManager.default.contentsOfDirectory(atPath: path)) ?? []).sorted().map {
                        path + "/" + $0
                    } : [path]
                for file in files {
                    guard let data = FileManager.default.contents(atPath: file) else { continue }
                    if target.run(data) { accepted += 1 }
                    count += 1
                }
            }
            print("\(name): \(count) inputs replayed, \(accepted) accepted, no crash")
        }
    }
#endif
