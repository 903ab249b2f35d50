import Hummingbird

/// The server's address as written into links (OGC API links, TileJSON tile URLs). The `Host`
/// header is the client's text: reflected as is, a request could make the server hand out links
/// to another site. A configured public URL (`serve --public-url`, for a server behind a proxy)
/// wins; otherwise the header is used only when it is a plain host name or address and port.
enum PublicBaseURL {
    static func of(_ request: Request, configured: String?) -> String {
        if let configured { return configured }
        guard let authority = request.head.authority, isPlainAuthority(authority) else { return "http://127.0.0.1" }
        return "http://" + authority
    }

    /// `name.example`, `127.0.0.1:8080`, `[::1]:8080`: letters, digits, dots and hyphens (or a
    /// bracketed IPv6 address), then an optional port.
    static func isPlainAuthority(_ text: String) -> Bool {
        guard !text.isEmpty, text.utf8.count <= 255 else { return false }
        var host = Substring(text), port: Substring?
        if host.hasPrefix("[") {
            guard let close = host.firstIndex(of: "]") else { return false }
            let inside = host[host.index(after: host.startIndex)..<close]
            guard !inside.isEmpty, inside.allSatisfy({ $0.isHexDigit || $0 == ":" || $0 == "." }) else { return false }
            let rest = host[host.index(after: close)...]
            if !rest.isEmpty { guard rest.hasPrefix(":") else { return false }; port = rest.dropFirst() }
            host = inside
        } else {
            let parts = host.split(separator: ":", maxSplits: 1, omittingEmptySubsequences: false)
            host = parts[0]
            if parts.count == 2 { port = parts[1] }
            guard !host.isEmpty, host.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "." || $0 == "-") }) else { return false }
        }
        if let port {
            guard let n = Int(port), (1...65_535).contains(n), port.allSatisfy(\.isASCII) else { return false }
        }
        return true
    }
}
