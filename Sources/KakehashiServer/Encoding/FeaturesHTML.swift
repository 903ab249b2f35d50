import Foundation
import Hummingbird

/// The OGC API – Features resources as people read them in a browser (`f=html`, or a browser's
/// `Accept`): Japanese, no script, each page linking its JSON. The JSON stays the reference; these
/// pages show the same links and properties.
enum FeaturesHTML {
    static func escape(_ s: String) -> String {
        var out = ""
        for c in s {
            switch c {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            default: out.append(c)
            }
        }
        return out
    }

    static func text(_ v: Any?) -> String {
        switch v {
        case nil, is NSNull: ""
        case let s as String: s
        case let n as NSNumber: n.stringValue
        default: (try? JSONSerialization.data(withJSONObject: v!, options: [.fragmentsAllowed, .sortedKeys]))
            .map { String(decoding: $0, as: UTF8.self) } ?? ""
        }
    }

    static func page(_ title: String, json: String, _ body: String) -> Response {
        let html = """
            <!doctype html>
            <html lang="ja"><head><meta charset="utf-8"><title>\(escape(title)) — Kakehashi</title>
            <link rel="alternate" type="application/json" href="\(escape(json))">
            <style>body{font-family:sans-serif;margin:1.5rem;max-width:70rem}table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:.2rem .4rem;text-align:left;vertical-align:top}</style>
            </head><body>
            <p><a href="/collections?f=html">コレクション一覧</a> ・ <a href="\(escape(json))">この内容を JSON で</a></p>
            <h1>\(escape(title))</h1>
            \(body)
            </body></html>
            """
        var headers = HTTPFields()
        headers[.contentType] = "text/html; charset=utf-8"
        return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(string: html)))
    }

    static func links(_ links: [[String: Any]]) -> String {
        "<ul>" + links.map { l in
            let href = text(l["href"]), rel = text(l["rel"])
            return "<li>\(escape(rel)): <a href=\"\(escape(href))\">\(escape(text(l["title"] ?? href)))</a></li>"
        }.joined() + "</ul>"
    }

    static func collections(_ list: [[String: Any]], json: String) -> Response {
        let rows = list.map { c in
            let id = text(c["id"])
            return "<tr><td><a href=\"/collections/\(escape(id))?f=html\">\(escape(id))</a></td><td>\(escape(text(c["title"])))</td>"
                + "<td>\(escape(text(c["description"])))</td><td><a href=\"/collections/\(escape(id))/items?f=html\">地物</a></td></tr>"
        }.joined()
        return page("コレクション", json: json, "<table><tr><th>ID</th><th>名前</th><th>説明</th><th></th></tr>\(rows)</table>")
    }

    static func collection(_ c: [String: Any], json: String) -> Response {
        page(text(c["title"]), json: json, "<p>\(escape(text(c["description"])))</p><p>座標参照系: \(escape(text(c["crs"])))</p>"
            + links(c["links"] as? [[String: Any]] ?? []))
    }

    static func properties(_ p: [String: Any]) -> String {
        "<table>" + p.keys.sorted().map { "<tr><th>\(escape($0))</th><td>\(escape(text(p[$0])))</td></tr>" }.joined() + "</table>"
    }

    static func items(_ collection: String, _ doc: [String: Any], json: String) -> Response {
        let features = doc["features"] as? [[String: Any]] ?? []
        let rows = features.map { f in
            let id = text(f["id"])
            let href = "/collections/\(collection)/items/\(id.addingPercentEncoding(withAllowedCharacters: .urlPathAllowed) ?? id)?f=html"
            let p = (f["properties"] as? [String: Any] ?? [:])
            let name = text(p["name"] ?? p["mesh_code"] ?? "")
            return "<tr><td><a href=\"\(escape(href))\">\(escape(id))</a></td><td>\(escape(name))</td></tr>"
        }.joined()
        let count = "<p>\(text(doc["numberReturned"])) 件（該当 \(text(doc["numberMatched"])) 件）</p>"
        return page("\(collection) の地物", json: json, count + links(doc["links"] as? [[String: Any]] ?? [])
            + "<table><tr><th>ID</th><th>名称</th></tr>\(rows)</table>")
    }

    static func feature(_ collection: String, _ f: [String: Any], json: String) -> Response {
        let geometry = f["geometry"] as? [String: Any]
        let point = text(geometry?["type"]) == "Point" ? "<p>位置（経度, 緯度）: \(escape(text(geometry?["coordinates"])))</p>" : ""
        return page("\(collection) / \(text(f["id"]))", json: json, point + properties(f["properties"] as? [String: Any] ?? [:])
            + links(f["links"] as? [[String: Any]] ?? []))
    }
}
