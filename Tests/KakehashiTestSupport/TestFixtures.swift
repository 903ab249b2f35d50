import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Where the tests find the real fixtures (../shared/data, or $KAKEHASHI_FIXTURES) and put their
/// scratch files. A missing fixture fails the test loudly; it never skips.
public enum TestFixtures {
    public static let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    public static var root: URL {
        if let env = ProcessInfo.processInfo.environment["KAKEHASHI_FIXTURES"], !env.isEmpty { return URL(fileURLWithPath: env) }
        return packageRoot.deletingLastPathComponent().appendingPathComponent("shared/data")
    }

    public struct Missing: Error, CustomStringConvertible {
        public let path: String
        public var description: String { "fixture missing: \(path) — set KAKEHASHI_FIXTURES or provide ../shared/data" }
    }

    /// The path of a fixture, or ``Missing``.
    public static func path(_ relative: String) throws -> String {
        let p = root.appendingPathComponent(relative).path
        guard FileManager.default.fileExists(atPath: p) else { throw Missing(path: p) }
        return p
    }

    /// One folder per test process under the temp directory; folders of earlier runs whose process
    /// is gone are removed on first use, so runs do not pile up.
    static let scratchRoot: URL = {
        let base = FileManager.default.temporaryDirectory.appendingPathComponent("kakehashi-tests")
        try? FileManager.default.createDirectory(at: base, withIntermediateDirectories: true)
        for name in (try? FileManager.default.contentsOfDirectory(atPath: base.path)) ?? [] {
            if let pid = Int32(name), pid != getpid(), kill(pid, 0) != 0 {
                try? FileManager.default.removeItem(at: base.appendingPathComponent(name))
            }
        }
        let mine = base.appendingPathComponent(String(getpid()))
        try? FileManager.default.createDirectory(at: mine, withIntermediateDirectories: true)
        return mine
    }()

    /// A fresh scratch folder.
    public static func scratch(_ prefix: String = "test") throws -> URL {
        let dir = scratchRoot.appendingPathComponent("\(prefix)-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        return dir
    }
}
