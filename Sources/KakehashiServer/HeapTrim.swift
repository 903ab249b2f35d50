/// Hands the memory freed after a data load back to the system. Reading the database builds the
/// full facts of every provider before the compact index replaces them; glibc keeps the freed
/// pages in its arenas, so without this the server's RSS stayed at its loading peak.
enum HeapTrim {
    static func afterLoad() {
        #if os(Linux)
        _ = glibcMallocTrim(0)
        #endif
    }
}

#if os(Linux)
// `malloc_trim` is declared in <malloc.h>, which the Glibc module does not export.
@_silgen_name("malloc_trim")
private func glibcMallocTrim(_ pad: Int) -> Int32
#endif
