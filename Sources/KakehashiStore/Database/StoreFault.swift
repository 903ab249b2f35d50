import Foundation
import GRDB

/// A fault of the database's environment rather than of the request or the input: the file is
/// locked by another writer, the disk is full, the file is read-only, missing or not a database.
/// Operators are told in Japanese what happened to which file and what to do; the server answers
/// 503 with `Retry-After`.
public struct StoreFault: Error, Sendable, CustomStringConvertible {
    public enum Cause: String, Sendable {
        case busy, full, readOnly = "read_only", cannotOpen = "cannot_open", notADatabase = "not_a_database", io
        /// Closed while the server switches to a file put in its place.
        case switching
    }

    public let cause: Cause
    public let path: String

    /// The fault an error of SQLite stands for; nil for anything else (a bug, a bad statement).
    public init?(_ error: any Error, path: String) {
        if let fault = error as? StoreFault { self = fault; return }
        guard let e = error as? DatabaseError else { return nil }
        switch e.resultCode {
        case .SQLITE_BUSY, .SQLITE_LOCKED: cause = .busy
        case .SQLITE_FULL: cause = .full
        case .SQLITE_READONLY: cause = .readOnly
        case .SQLITE_CANTOPEN, .SQLITE_PERM, .SQLITE_AUTH: cause = .cannotOpen
        case .SQLITE_NOTADB, .SQLITE_CORRUPT: cause = .notADatabase
        case .SQLITE_IOERR: cause = .io
        case .SQLITE_MISUSE where e.message?.contains("closed") == true: cause = .switching
        default: return nil
        }
        self.path = path
    }

    public var description: String {
        switch cause {
        case .busy: "データベース \(path) は別の取り込みなどが書き込み中で、使えませんでした。終わるのを待ってからもう一度実行してください"
        case .full: "データベース \(path) に書き込めません: ディスクがいっぱいです。空きを作ってからもう一度実行してください（データベースは変更していません）"
        case .readOnly: "データベース \(path) は読み取り専用です（ファイルかフォルダの書き込み権限がない、または読み取り専用の場所）。権限を確かめてください"
        case .cannotOpen: "データベース \(path) を開けません（フォルダがない、権限がない、など）。パスと権限を確かめてください"
        case .notADatabase: "\(path) は Kakehashi のデータベース（SQLite）ではないか、壊れています。パスを確かめ、壊れている場合はバックアップから戻すか取り込み直してください"
        case .io: "データベース \(path) の読み書きで入出力エラーが起きました（ディスクの障害、ファイルの削除など）。ディスクとファイルを確かめてください"
        case .switching: "データベース \(path) は置き換えられたファイルに切り替え中です。しばらくしてからもう一度実行してください"
        }
    }
}
