import Foundation

/// Writes a value as pretty JSON on standard output.
func printJSON<T: Encodable>(_ value: T) throws {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
    encoder.keyEncodingStrategy = .convertToSnakeCase
    print(String(decoding: try encoder.encode(value), as: UTF8.self))
}

func printError(_ message: String) {
    FileHandle.standardError.write(Data((message + "\n").utf8))
}

/// A progress line on standard error, redrawn in place, only when it is a terminal.
final class ProgressLine: @unchecked Sendable {
    private let enabled: Bool
    private let lock = NSLock()
    private var drawn = false

    init(enabled: Bool) {
        self.enabled = enabled && isatty(2) == 1
    }

    func show(_ stage: String, _ done: Int, _ total: Int) {
        guard enabled else { return }
        lock.lock(); defer { lock.unlock() }
        let percent = total > 0 ? done * 100 / total : 0
        FileHandle.standardError.write(Data("\r\u{1B}[K\(stage): \(done)/\(total) (\(percent)%)".utf8))
        drawn = true
    }

    func finish() {
        lock.lock(); defer { lock.unlock() }
        if drawn { FileHandle.standardError.write(Data("\r\u{1B}[K".utf8)) }
        drawn = false
    }
}

/// Prints lines and flushes them at once. Piped or logged, standard output is block-buffered, and a
/// server that prints its address and then runs for hours held the lines back until it exited.
func announce(_ lines: String...) {
    for line in lines { print(line) }
    fflush(nil)
}

/// A command that refuses what it was asked (exit code 2), said without the usage text that
/// `ValidationError` adds: the options were well formed, the request was not.
struct CommandRefusal: Error {
    let message: String
    init(_ message: String) { self.message = message }
}
