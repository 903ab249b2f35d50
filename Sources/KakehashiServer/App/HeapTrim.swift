import Foundation

/// Keeps a data load from leaving the server at its loading peak. Reading the providers' facts
/// from SQLite allocates about 1 KB per provider (450 MB on the stress region) in many small
/// blocks; the compact index built from them is a fraction of that. Built on the same thread, the
/// index's blocks sat among the facts' freed ones, and 185 MB stayed resident though free. So the
/// facts are read on a thread of their own — glibc gives it its own heap arena — the index copies
/// what it keeps, and once the facts are dropped that arena is handed back whole.
enum HeapTrim {
    /// Runs `read` on a new thread and waits for it.
    static func onOwnThread<T>(_ read: @escaping @Sendable () throws -> T) throws -> T {
        let outcome = ThreadOutcome<T>(), done = DispatchSemaphore(value: 0)
        let thread = Thread {
            outcome.result = Result { try read() }
            done.signal()
        }
        thread.stackSize = 8 << 20
        thread.start()
        done.wait()
        return try outcome.result!.get()
    }

    /// Returns the freed memory to the system.
    static func afterLoad() {
        #if os(Linux)
        _ = glibcMallocTrim(0)
        #endif
    }
}

/// What the thread produced; read only after its semaphore is signalled.
private final class ThreadOutcome<T>: @unchecked Sendable {
    var result: Result<T, any Error>?
}

#if os(Linux)
// `malloc_trim` is declared in <malloc.h>, which the Glibc module does not export.
@_silgen_name("malloc_trim")
private func glibcMallocTrim(_ pad: Int) -> Int32
#endif
