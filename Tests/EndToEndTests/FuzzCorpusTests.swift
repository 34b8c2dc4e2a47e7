import Foundation
import TestSupport
import Testing

/// Every committed fuzz seed (and any crash input added later) replays through its target without a
/// crash in the normal build: a regression check that runs with the tests. The libFuzzer runs
/// themselves are `.ci/fuzz`.
struct FuzzCorpusTests {
    @Test(arguments: ["form", "multipart", "policy", "events", "title", "queue"])
    func seedsReplayWithoutACrash(_ target: String) throws {
        let binary = GalleryProcess.built("gallery-fuzz")
        try #require(FileManager.default.isExecutableFile(atPath: binary.path), "build gallery-fuzz first")
        let corpus = Fixtures.repositoryRoot.appendingPathComponent("Tests/Fuzz/Corpus/" + target)
        let seeds = try FileManager.default.contentsOfDirectory(atPath: corpus.path)
        #expect(seeds.count >= 4, "the \(target) corpus is too small")
        let process = Process()
        process.executableURL = binary
        process.arguments = [target, corpus.path]
        let output = Pipe()
        process.standardOutput = output
        try process.run()
        let text = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        #expect(process.terminationStatus == 0, "\(text)")
        #expect(text.contains("\(seeds.count) inputs replayed"), "\(text)")
        #expect(!text.contains(" 0 accepted"), "no seed reaches past the parser's first check: \(text)")
        print("fuzz corpus \(text.trimmingCharacters(in: .whitespacesAndNewlines))")
    }
}
