import Crypto
import Foundation

/// The desk's secrets as they are handed out and as they are kept: codes and session tokens are
/// random and stored only as SHA-256, so a copy of the database lets nobody in.
public enum DeskSecret {
    /// SHA-256 in hex.
    public static func hash(_ secret: String) -> String {
        SHA256.hash(data: Data(secret.utf8)).map { String(format: "%02x", $0) }.joined()
    }

    /// A session token: 256 random bits, URL-safe base64.
    public static func token() -> String {
        var rng = SystemRandomNumberGenerator()
        let bytes = (0..<32).map { _ in UInt8.random(in: 0...255, using: &rng) }
        return Data(bytes).base64EncodedString().replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
    }

    /// An invitation code that survives a FAX and a phone call: 16 letters and digits without the
    /// ones read alike (0/O, 1/I/L), in groups of four (80 bits).
    public static func invitationCode() -> String {
        let alphabet = Array("ABCDEFGHJKMNPQRSTUVWXYZ23456789")
        var rng = SystemRandomNumberGenerator()
        let chars = (0..<16).map { _ in alphabet[Int.random(in: 0..<alphabet.count, using: &rng)] }
        return stride(from: 0, to: 16, by: 4).map { String(chars[$0..<$0 + 4]) }.joined(separator: "-")
    }

    /// A code as typed back: upper case, without spaces or hyphens, full-width folded.
    public static func normalisedCode(_ text: String) -> String {
        let folded = text.applyingTransform(.fullwidthToHalfwidth, reverse: false) ?? text
        let kept = folded.uppercased().filter { $0.isLetter || $0.isNumber }
        return stride(from: 0, to: kept.count, by: 4).map { i -> String in
            let start = kept.index(kept.startIndex, offsetBy: i)
            return String(kept[start..<kept.index(start, offsetBy: min(4, kept.count - i))])
        }.joined(separator: "-")
    }
}
