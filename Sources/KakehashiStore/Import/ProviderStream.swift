import Foundation

/// The providers of a native CSV file, converted from its rows on a thread of their own while the
/// import's transaction writes the ones already converted: on two cores the reading then costs no
/// time beside the writing (450,000 rows: about 8 s of reading that used to come first).
///
/// The file's structure (header, columns, row lengths) is checked before the stream is made, as
/// for every other file; a faulty row ends the stream with the file's errors, which the writer
/// throws, so its transaction rolls back and the import changes nothing, as before. The reading
/// starts at the first ``next()``; ``cancel()`` stops it and waits for it, so no reading outlives
/// the import.
public final class ProviderStream: @unchecked Sendable {
    /// What the reading found besides the providers.
    public struct Tail: Sendable {
        public var warnings: [ImportIssue] = []
        /// Rows left out by `--skip-invalid`.
        public var rejected: [ImportIssue] = []
    }

    /// Hands the converted providers over in chunks; false once the writer has stopped listening.
    public struct Sink: Sendable {
        fileprivate let stream: ProviderStream
        fileprivate let boundaries: MunicipalityLocator?

        public func put(_ chunk: [ProviderRecord]) -> Bool {
            guard let boundaries else { return stream.put(chunk) }
            var chunk = chunk
            for i in chunk.indices where chunk[i].locationLevel == nil {
                chunk[i].boundaryMunicipality = chunk[i].location.flatMap(boundaries.code(containing:))
            }
            return stream.put(chunk)
        }
        /// True once the writer has stopped: the reader should stop too, even while it only collects errors.
        public var isCancelled: Bool { stream.condition.withLock { stream.cancelled } }
    }

    /// Rows in the file: what progress and the spatial index pause count on.
    public let expected: Int
    private let read: @Sendable (Sink) -> Result<Tail, any Error>
    private let condition = NSCondition()
    private var chunks: [[ProviderRecord]] = []
    private var end: Result<Tail, any Error>?
    private var started = false, cancelled = false
    private var boundaries: MunicipalityLocator?

    /// Chunks waiting for the writer, at most: the reader waits rather than holding the whole file.
    static let buffered = 8

    public init(expected: Int, read: @escaping @Sendable (Sink) -> Result<Tail, any Error>) {
        self.expected = expected
        self.read = read
    }

    /// Has the reading thread place every point in these boundaries too
    /// (``ProviderRecord/boundaryMunicipality``), which the writer's thread would otherwise do
    /// after the load. Call before the first ``next()``.
    func place(in boundaries: MunicipalityLocator) {
        condition.withLock {
            precondition(!started, "boundaries are given before the reading starts")
            self.boundaries = boundaries
        }
    }

    /// The next chunk in file order, waiting for the reader; nil at the end. Throws the file's
    /// errors when the reading found any.
    public func next() throws -> [ProviderRecord]? {
        condition.lock()
        defer { condition.unlock() }
        if !started { start() }
        while chunks.isEmpty && end == nil { condition.wait() }
        if !chunks.isEmpty {
            condition.broadcast()
            return chunks.removeFirst()
        }
        _ = try end!.get()
        return nil
    }

    /// What the reading found besides providers; call after ``next()`` returned nil.
    public var tail: Tail {
        condition.lock()
        defer { condition.unlock() }
        return (try? end?.get()) ?? Tail()
    }

    /// Stops the reading (the writer failed, or is done) and waits until it has stopped.
    public func cancel() {
        condition.lock()
        defer { condition.unlock() }
        cancelled = true
        condition.broadcast()
        while started && end == nil { condition.wait() }
    }

    /// Whether the reading has ended (or never started).
    var hasEnded: Bool { condition.withLock { !started || end != nil } }

    private func start() {
        started = true
        let sink = Sink(stream: self, boundaries: boundaries)
        let thread = Thread { [self] in
            let result = read(sink)
            condition.lock()
            end = result
            condition.broadcast()
            condition.unlock()
        }
        thread.name = "kh-providers"  // Linux keeps 15 bytes of a thread's name
        thread.stackSize = 8 << 20  // the opening_hours parser recurses
        thread.start()
    }

    private func put(_ chunk: [ProviderRecord]) -> Bool {
        condition.lock()
        defer { condition.unlock() }
        while chunks.count >= Self.buffered && !cancelled { condition.wait() }
        guard !cancelled else { return false }
        chunks.append(chunk)
        condition.broadcast()
        return true
    }
}
