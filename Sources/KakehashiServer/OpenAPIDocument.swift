import Foundation

/// The OpenAPI 3.1 description of every endpoint, served at `/openapi.json`. Kept next to the
/// controllers; `schemathesis` checks the running server against it in CI.
enum OpenAPIDocument {
    static let json: [UInt8] = Array(text.utf8)

    static let services = #"["home_visit_medical","home_visit_nursing","home_care","night_home_care","regular_visit_24h","care_management","home_pharmacy","nursing_multifunctional","home_bathing","home_rehabilitation"]"#

    static let problemResponses = #"""
        "400": {"$ref": "#/components/responses/Problem"},
        "414": {"$ref": "#/components/responses/Problem"},
        "500": {"$ref": "#/components/responses/Problem"}
    """#

    static let text = #"""
    {
      "openapi": "3.1.0",
      "info": {
        "title": "Kakehashi 架け橋",
        "version": "0.3.0",
        "description": "在宅医療・介護の資源（往診する診療所、訪問看護、薬局、居宅介護支援・訪問介護事業所）の検索。住所または座標について、指定した時間帯に訪問できる事業所を、根拠（届出・公開時間・当番報告）とともに返します。エラーは RFC 9457 の application/problem+json です。"
      },
      "servers": [{"url": "/"}],
      "paths": {
        "/": {
          "get": {
            "operationId": "landing",
            "summary": "ランディングページ：ブラウザには地図ページ（HTML）、それ以外には OGC API – Features のリンク（JSON）",
            "parameters": [{"name": "f", "in": "query", "schema": {"type": "string", "enum": ["json", "html"]}, "description": "形式を明示（省略時は Accept で決定）"}],
            "responses": {"400": {"$ref": "#/components/responses/Problem"}, "200": {"description": "リンク、または地図ページ", "content": {
              "application/json": {"schema": {"type": "object", "required": ["links"], "properties": {"links": {"type": "array", "items": {"$ref": "#/components/schemas/Link"}}}}},
              "text/html": {"schema": {"type": "string"}}}}}
          }
        },
        "/web/{file}": {
          "get": {
            "operationId": "webAsset",
            "summary": "地図ページのスクリプト・スタイル・設定（app.js, app.css, config.json）",
            "parameters": [{"name": "file", "in": "path", "required": true, "schema": {"type": "string", "maxLength": 100}, "example": "app.js"}],
            "responses": {
              "200": {"description": "ファイル", "content": {"text/javascript": {"schema": {"type": "string"}}, "text/css": {"schema": {"type": "string"}}, "application/json": {"schema": {"type": "object"}}}},
              "404": {"$ref": "#/components/responses/Problem"},
              PROBLEMS
            }
          }
        },
        "/vendor/{package}/{file}": {
          "get": {
            "operationId": "vendorFile",
            "summary": "地図ページが使う Leaflet・Leaflet.markercluster・Chart.js（Debian の libjs-* パッケージから配信）",
            "parameters": [{"name": "package", "in": "path", "required": true, "schema": {"type": "string", "maxLength": 100}, "example": "leaflet"}, {"name": "file", "in": "path", "required": true, "schema": {"type": "string", "maxLength": 100}, "example": "leaflet.js"}],
            "responses": {
              "200": {"description": "ファイル", "content": {"text/javascript": {"schema": {"type": "string"}}, "text/css": {"schema": {"type": "string"}}}},
              "404": {"$ref": "#/components/responses/Problem"},
              PROBLEMS
            }
          }
        },
        "/vendor/{package}/images/{file}": {
          "get": {
            "operationId": "vendorImage",
            "summary": "Leaflet の画像（マーカー・レイヤー切替）",
            "parameters": [{"name": "package", "in": "path", "required": true, "schema": {"type": "string", "maxLength": 100}, "example": "leaflet"}, {"name": "file", "in": "path", "required": true, "schema": {"type": "string", "maxLength": 100}, "example": "marker-icon.png"}],
            "responses": {
              "200": {"description": "PNG", "content": {"image/png": {"schema": {"type": "string", "contentEncoding": "binary"}}}},
              "404": {"$ref": "#/components/responses/Problem"},
              PROBLEMS
            }
          }
        },
        "/conformance": {
          "get": {
            "operationId": "conformance",
            "summary": "適合する OGC API – Features の要件クラス",
            "responses": {"200": {"description": "conformsTo", "content": {"application/json": {"schema": {"type": "object", "required": ["conformsTo"], "properties": {"conformsTo": {"type": "array", "items": {"type": "string"}}}}}}}}
          }
        },
        "/collections": {
          "get": {
            "operationId": "collections",
            "summary": "コレクション（providers, municipalities, meshes, towns）",
            "responses": {"200": {"description": "コレクション", "content": {"application/json": {"schema": {"type": "object", "required": ["collections", "links"], "properties": {"collections": {"type": "array", "items": {"$ref": "#/components/schemas/Collection"}}, "links": {"type": "array", "items": {"$ref": "#/components/schemas/Link"}}}}}}}}
          }
        },
        "/collections/{collectionId}": {
          "get": {
            "operationId": "collection",
            "summary": "コレクションの説明",
            "parameters": [{"$ref": "#/components/parameters/CollectionID"}],
            "responses": {
              "200": {"description": "コレクション", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Collection"}}}},
              "404": {"$ref": "#/components/responses/Problem"},
              PROBLEMS
            }
          }
        },
        "/collections/{collectionId}/items": {
          "get": {
            "operationId": "items",
            "summary": "コレクションの地物（GeoJSON、bbox・limit・offset でページング）",
            "parameters": [
              {"$ref": "#/components/parameters/CollectionID"},
              {"name": "bbox", "in": "query", "schema": {"type": "string"}, "description": "最小経度,最小緯度,最大経度,最大緯度"},
              {"name": "limit", "in": "query", "schema": {"type": "integer", "minimum": 1, "maximum": 10000, "default": 100}},
              {"name": "offset", "in": "query", "schema": {"type": "integer", "minimum": 0, "maximum": 10000000, "default": 0}}
            ],
            "responses": {
              "200": {"description": "FeatureCollection", "content": {"application/geo+json": {"schema": {"type": "object", "required": ["type", "features", "numberMatched", "numberReturned", "links"], "properties": {"type": {"const": "FeatureCollection"}, "features": {"type": "array"}, "numberMatched": {"type": "integer"}, "numberReturned": {"type": "integer"}, "links": {"type": "array", "items": {"$ref": "#/components/schemas/Link"}}}}}}},
              "404": {"$ref": "#/components/responses/Problem"},
              PROBLEMS
            }
          }
        },
        "/health": {
          "get": {
            "operationId": "health",
            "summary": "稼働確認",
            "responses": {
              "200": {"description": "稼働中", "content": {"application/json": {"schema": {"type": "object", "required": ["status"], "properties": {"status": {"const": "ok"}}}}}}
            }
          }
        },
        "/metrics": {
          "get": {
            "operationId": "metrics",
            "summary": "Prometheus のメトリクス",
            "responses": {"200": {"description": "Prometheus text format 0.0.4", "content": {"text/plain": {"schema": {"type": "string"}}}}}
          }
        },
        "/openapi.json": {
          "get": {
            "operationId": "openapi",
            "summary": "この文書",
            "responses": {"200": {"description": "OpenAPI 3.1", "content": {"application/json": {"schema": {"type": "object"}}}}}
          }
        },
        "/v1/coverage": {
          "get": {
            "operationId": "coverage",
            "summary": "この場所に、この時間帯に訪問できる事業所",
            "description": "address か lat と lon の組のどちらかで場所を、service でサービスを、window=tonight（date で日付）・at・from と to のどれかで時間を指定します（既定は今夜 18:00〜翌 9:00、Asia/Tokyo）。結果は期間全体を満たす事業所、根拠の強さ（capability > on_call > hours）、距離の順です。",
            "parameters": [
              {"name": "address", "in": "query", "schema": {"type": "string", "minLength": 1, "maxLength": 200}, "description": "住所（全角・漢数字・都道府県なしも可）。lat/lon とは同時に使えません"},
              {"name": "lat", "in": "query", "schema": {"type": "number", "minimum": 20, "maximum": 46}},
              {"name": "lon", "in": "query", "schema": {"type": "number", "minimum": 122, "maximum": 154}},
              {"name": "service", "in": "query", "required": true, "style": "form", "explode": false,
               "schema": {"type": "array", "minItems": 1, "maxItems": 12, "items": {"type": "string", "enum": SERVICES}}},
              {"name": "window", "in": "query", "schema": {"type": "string", "enum": ["tonight"]}},
              {"name": "date", "in": "query", "schema": {"type": "string", "format": "date"}, "description": "window=tonight の日付（既定は今日、Asia/Tokyo）"},
              {"name": "at", "in": "query", "schema": {"type": "string", "format": "date-time"}},
              {"name": "from", "in": "query", "schema": {"type": "string", "format": "date-time"}},
              {"name": "to", "in": "query", "schema": {"type": "string", "format": "date-time"}},
              {"name": "limit", "in": "query", "schema": {"type": "integer", "minimum": 1, "maximum": 200, "default": 20}},
              {"name": "offset", "in": "query", "schema": {"type": "integer", "minimum": 0, "maximum": 10000, "default": 0}},
              {"name": "explain", "in": "query", "schema": {"type": "boolean", "default": false}, "description": "近くにあるのに該当しなかった事業所を理由つきで返す"}
            ],
            "responses": {
              "200": {"description": "該当する事業所", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/CoverageAnswer"}}}},
              "422": {"$ref": "#/components/responses/Problem"},
              PROBLEMS
            }
          }
        },
        "/v1/providers": {
          "get": {
            "operationId": "providersInBox",
            "summary": "範囲内の事業所（GeoJSON）",
            "parameters": [
              {"name": "bbox", "in": "query", "required": true, "schema": {"type": "string", "pattern": "^-?[0-9.]+,-?[0-9.]+,-?[0-9.]+,-?[0-9.]+$"}, "description": "最小経度,最小緯度,最大経度,最大緯度（4 平方度まで）"},
              {"name": "service", "in": "query", "style": "form", "explode": false, "schema": {"type": "array", "maxItems": 12, "items": {"type": "string", "enum": SERVICES}}},
              {"name": "limit", "in": "query", "schema": {"type": "integer", "minimum": 1, "maximum": 10000, "default": 5000}}
            ],
            "responses": {
              "200": {"description": "GeoJSON FeatureCollection (RFC 7946)", "content": {"application/geo+json": {"schema": {"$ref": "#/components/schemas/FeatureCollection"}}}},
              PROBLEMS
            }
          }
        },
        "/v1/providers/{id}": {
          "get": {
            "operationId": "provider",
            "summary": "事業所の詳細",
            "parameters": [{"$ref": "#/components/parameters/ProviderID"}],
            "responses": {
              "200": {"description": "事業所", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/ProviderDetail"}}}},
              "404": {"$ref": "#/components/responses/Problem"},
              PROBLEMS
            }
          }
        },
        "/v1/providers/{id}/service-area": {
          "get": {
            "operationId": "providerServiceArea",
            "summary": "事業所の実施地域（検索と同じ規則：登録された区域、登録がない場合の既定、往診の距離上限）を GeoJSON で",
            "parameters": [{"$ref": "#/components/parameters/ProviderID"}],
            "responses": {
              "200": {"description": "FeatureCollection（properties: rule, detail, services, label）", "content": {"application/geo+json": {"schema": {"type": "object", "required": ["type", "features"], "properties": {"type": {"const": "FeatureCollection"}, "features": {"type": "array", "items": {"type": "object", "required": ["type", "geometry", "properties"], "properties": {"properties": {"type": "object", "required": ["rule", "detail", "services"], "properties": {"rule": {"type": "string", "enum": ["radius", "municipalities", "towns", "polygon", "legal_radius", "home_municipality", "legal_limit"]}, "detail": {"type": "string"}, "services": {"type": "array", "items": {"type": "string"}}, "label": {"type": "string"}}}}}}}}}}},
              "404": {"$ref": "#/components/responses/Problem"},
              PROBLEMS
            }
          }
        },
        "/v1/providers/{id}/on-call": {
          "get": {
            "operationId": "onCall",
            "summary": "事業所の当番報告",
            "parameters": [{"$ref": "#/components/parameters/ProviderID"}],
            "responses": {
              "200": {"description": "現在の報告（期限切れも含む）と状態", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/OnCallView"}}}},
              "404": {"$ref": "#/components/responses/Problem"},
              PROBLEMS
            }
          },
          "put": {
            "operationId": "putOnCall",
            "summary": "当番を報告する（それまでの報告を置き換え、監査ログに残す）",
            "security": [{"bearer": []}],
            "parameters": [{"$ref": "#/components/parameters/ProviderID"}],
            "requestBody": {
              "required": true,
              "content": {"application/json": {"schema": {
                "type": "object", "required": ["from", "to"],
                "properties": {
                  "from": {"type": "string", "format": "date-time"},
                  "to": {"type": "string", "format": "date-time"},
                  "contact": {"type": ["string", "null"], "maxLength": 500},
                  "note": {"type": ["string", "null"], "maxLength": 500},
                  "service": {"type": ["string", "null"], "enum": SERVICES_NULL}
                }
              }}}
            },
            "responses": {
              "200": {"description": "記録した報告", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/OnCallView"}}}},
              "401": {"$ref": "#/components/responses/Problem"},
              "403": {"$ref": "#/components/responses/Problem"},
              "404": {"$ref": "#/components/responses/Problem"},
              "413": {"$ref": "#/components/responses/Problem"},
              PROBLEMS
            }
          }
        },
        "/v1/indicators": {
          "get": {
            "operationId": "indicators",
            "summary": "指標の辞書（名前・定義・単位・出典）",
            "responses": {"200": {"description": "指標", "content": {"application/json": {"schema": {"type": "object", "required": ["indicators"], "properties": {"indicators": {"type": "array", "items": {"$ref": "#/components/schemas/Indicator"}}}}}}}}
          }
        },
        "/v1/layers": {
          "get": {
            "operationId": "layers",
            "summary": "地図レイヤーの一覧",
            "responses": {"200": {"description": "レイヤー", "content": {"application/json": {"schema": {"type": "object", "required": ["layers"], "properties": {"layers": {"type": "array", "items": {"type": "object", "required": ["id", "title", "formats", "indicators"], "properties": {"id": {"type": "string"}, "title": {"type": "string"}, "formats": {"type": "array", "items": {"type": "string"}}, "indicators": {"type": "array", "items": {"type": "string"}}}}}}}}}}}
          }
        },
        "/v1/layers/{file}": {
          "get": {
            "operationId": "layer",
            "summary": "レイヤー（GeoJSON または CSV）。数値の出典データセットを datasets に示します",
            "parameters": [
              {"name": "file", "in": "path", "required": true, "schema": {"type": "string", "enum": ["municipalities.geojson", "municipalities.csv", "meshes.geojson", "meshes.csv"]}},
              {"name": "indicator", "in": "query", "schema": {"type": "string", "enum": ["population_total", "population_65_plus", "population_75_plus", "ratio_65_plus", "ratio_75_plus", "providers", "providers_per_1000_75_plus", "covered_75_plus_share", "uncovered_75_plus", "gap"]}},
              {"name": "service", "in": "query", "schema": {"type": "string", "enum": SERVICES}},
              {"name": "window", "in": "query", "schema": {"type": "string", "enum": ["tonight"]}},
              {"name": "date", "in": "query", "schema": {"type": "string", "format": "date"}},
              {"name": "at", "in": "query", "schema": {"type": "string", "format": "date-time"}},
              {"name": "from", "in": "query", "schema": {"type": "string", "format": "date-time"}},
              {"name": "to", "in": "query", "schema": {"type": "string", "format": "date-time"}},
              {"name": "bbox", "in": "query", "schema": {"type": "string"}},
              {"name": "gap_threshold", "in": "query", "schema": {"type": "integer", "minimum": 0, "maximum": 100000, "default": 10}}
            ],
            "responses": {
              "200": {"description": "GeoJSON FeatureCollection（indicators と datasets を含む）または CSV",
                      "content": {"application/geo+json": {"schema": {"type": "object", "required": ["type", "features", "indicators", "datasets"], "properties": {"type": {"const": "FeatureCollection"}, "features": {"type": "array"}, "indicators": {"type": "array"}, "datasets": {"type": "array"}}}},
                                  "text/csv": {"schema": {"type": "string"}}}},
              "404": {"$ref": "#/components/responses/Problem"},
              PROBLEMS
            }
          }
        },
        "/tiles/{layer}": {
          "get": {
            "operationId": "tileJSON",
            "summary": "TileJSON 3.0（タイル URL にはデータの版が入ります）",
            "parameters": [{"name": "layer", "in": "path", "required": true, "schema": {"type": "string", "enum": ["municipalities.json", "meshes.json", "providers.json", "service_areas.json"]}},
              {"name": "service", "in": "query", "schema": {"type": "string", "enum": SERVICES}, "description": "municipalities と meshes のみ：このサービスの夜間の確保状況（covered_75_plus_share, uncovered_75_plus, covered, gap）をタイルに含める"},
              {"name": "date", "in": "query", "schema": {"type": "string", "format": "date"}, "description": "service と一緒に：その日の夜（18時〜翌9時）。省略時は今夜"}],
            "responses": {
              "200": {"description": "TileJSON", "content": {"application/json": {"schema": {"type": "object", "required": ["tilejson", "tiles", "vector_layers"], "properties": {"tilejson": {"const": "3.0.0"}, "tiles": {"type": "array", "items": {"type": "string"}}, "vector_layers": {"type": "array"}}}}}},
              "404": {"$ref": "#/components/responses/Problem"},
              PROBLEMS
            }
          }
        },
        "/tiles/{layer}/{z}/{x}/{file}": {
          "get": {
            "operationId": "tile",
            "summary": "Mapbox Vector Tile 2.1（{file} は {y}.mvt）。ETag と Cache-Control つき。Accept-Encoding: gzip なら gzip 圧縮（Content-Encoding: gzip、別の ETag）",
            "parameters": [
              {"name": "layer", "in": "path", "required": true, "schema": {"type": "string", "enum": ["municipalities", "meshes", "providers", "service_areas"]}},
              {"name": "z", "in": "path", "required": true, "schema": {"type": "integer", "minimum": 0, "maximum": 22}},
              {"name": "x", "in": "path", "required": true, "schema": {"type": "integer", "minimum": 0}},
              {"name": "file", "in": "path", "required": true, "schema": {"type": "string", "pattern": "^[0-9]+\\.mvt$"}},
              {"name": "v", "in": "query", "schema": {"type": "string"}, "description": "データの版（TileJSON が付けます。値は応答に影響しません）"},
              {"name": "service", "in": "query", "schema": {"type": "string", "enum": SERVICES}, "description": "municipalities と meshes のみ：このサービスの夜間の確保状況をタイルに含める（10 分ごとに作り直し）"},
              {"name": "date", "in": "query", "schema": {"type": "string", "format": "date"}, "description": "service と一緒に：その日の夜。省略時は今夜"}
            ],
            "responses": {
              "200": {
                "description": "タイル",
                "headers": {
                  "ETag": {"schema": {"type": "string"}, "description": "データの版・レイヤー・タイル・圧縮ごとに異なります"},
                  "Cache-Control": {"schema": {"type": "string"}},
                  "Vary": {"schema": {"type": "string"}, "description": "Accept-Encoding"},
                  "Content-Encoding": {"schema": {"type": "string", "enum": ["gzip"]}, "description": "Accept-Encoding が gzip を受け付けるときだけ"}
                },
                "content": {"application/vnd.mapbox-vector-tile": {"schema": {"type": "string", "format": "binary"}}}
              },
              "304": {"description": "If-None-Match の ETag と同じ"},
              "404": {"$ref": "#/components/responses/Problem"},
              PROBLEMS
            }
          }
        },
        "/v1/geocode": {
          "get": {
            "operationId": "geocode",
            "summary": "住所の正規化と位置（町字の代表点）",
            "parameters": [{"name": "q", "in": "query", "required": true, "schema": {"type": "string", "minLength": 1, "maxLength": 200}, "description": "住所。漢字・かなを含まないものは 400 です"}],
            "responses": {
              "200": {"description": "正規化した住所", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Geocode"}}}},
              PROBLEMS
            }
          }
        },
        "/v1/reverse": {
          "get": {
            "operationId": "reverse",
            "summary": "座標の市区町村と最寄りの町字",
            "parameters": [
              {"name": "lat", "in": "query", "required": true, "schema": {"type": "number", "minimum": -90, "maximum": 90}},
              {"name": "lon", "in": "query", "required": true, "schema": {"type": "number", "minimum": -180, "maximum": 180}}
            ],
            "responses": {
              "200": {"description": "市区町村と町字", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Reverse"}}}},
              PROBLEMS
            }
          }
        }
      },
      "components": {
        "securitySchemes": {"bearer": {"type": "http", "scheme": "bearer", "description": "サーバーのトークンファイルに登録したトークン"}},
        "parameters": {
          "CollectionID": {"name": "collectionId", "in": "path", "required": true, "schema": {"type": "string", "enum": ["providers", "municipalities", "meshes", "towns"]}},
          "ProviderID": {"name": "id", "in": "path", "required": true, "schema": {"type": "integer", "minimum": 1, "maximum": 9223372036854775807}}
        },
        "responses": {
          "Problem": {"description": "RFC 9457 problem details（日本語の title / detail）", "content": {"application/problem+json": {"schema": {"$ref": "#/components/schemas/Problem"}}}}
        },
        "schemas": {
          "Link": {"type": "object", "required": ["href", "rel"], "properties": {"href": {"type": "string"}, "rel": {"type": "string"}, "type": {"type": "string"}}},
          "Collection": {"type": "object", "required": ["id", "links"], "properties": {"id": {"type": "string"}, "title": {"type": "string"}, "description": {"type": "string"}, "itemType": {"type": "string"}, "crs": {"type": "array", "items": {"type": "string"}}, "links": {"type": "array", "items": {"$ref": "#/components/schemas/Link"}}}},
          "Indicator": {
            "type": "object", "required": ["id", "name", "definition", "unit", "sources", "per_service"],
            "properties": {"id": {"type": "string"}, "name": {"type": "string"}, "definition": {"type": "string"}, "unit": {"type": "string"}, "sources": {"type": "array", "items": {"type": "string"}}, "per_service": {"type": "boolean"}}
          },
          "Problem": {
            "type": "object", "required": ["type", "title", "status", "detail"],
            "properties": {"type": {"type": "string"}, "title": {"type": "string"}, "status": {"type": "integer"}, "detail": {"type": "string"}, "parameter": {"type": "string"}}
          },
          "Interval": {
            "type": "object", "required": ["from", "to", "basis"],
            "properties": {"from": {"type": "string", "format": "date-time"}, "to": {"type": "string", "format": "date-time"}, "basis": {"$ref": "#/components/schemas/Basis"}}
          },
          "Basis": {"type": "string", "enum": ["capability", "on_call", "hours"]},
          "Contact": {
            "type": "object",
            "properties": {"phone": {"type": "string"}, "fax": {"type": "string"}, "email": {"type": "string"}, "url": {"type": "string"}, "preferred": {"type": "string", "enum": ["phone", "fax", "email"]}, "on_call": {"type": "string"}}
          },
          "Source": {
            "type": "object", "required": ["dataset", "source_kind", "file", "loaded_at"],
            "properties": {"dataset": {"type": "integer"}, "source_kind": {"type": "string"}, "file": {"type": "string"}, "reference_date": {"type": "string"}, "loaded_at": {"type": "string"}}
          },
          "CoverageEntry": {
            "type": "object",
            "required": ["provider_id", "official_id", "source", "name", "kind", "service", "status", "covered", "contact", "area", "notes", "sources"],
            "properties": {
              "provider_id": {"type": "integer"}, "official_id": {"type": "string"}, "source": {"type": "string"}, "name": {"type": "string"}, "kind": {"type": "string"},
              "service": {"type": "string", "enum": SERVICES},
              "distance_m": {"type": "number", "description": "直線距離（m）"},
              "lat": {"type": "number", "description": "事業所の緯度（WGS84）。所在地不明のときは省略"},
              "lon": {"type": "number", "description": "事業所の経度（WGS84）。所在地不明のときは省略"},
              "status": {"type": "string", "enum": ["covered", "partial", "unknown"]},
              "basis": {"$ref": "#/components/schemas/Basis"},
              "covered": {"type": "array", "items": {"$ref": "#/components/schemas/Interval"}},
              "next_change": {"type": "string", "format": "date-time"},
              "contact": {"$ref": "#/components/schemas/Contact"},
              "area": {"type": "object", "required": ["rule", "detail"], "properties": {"rule": {"type": "string", "enum": ["radius", "municipalities", "towns", "polygon", "legal_radius", "home_municipality"]}, "detail": {"type": "string"}}},
              "notes": {"type": "array", "items": {"type": "string"}},
              "sources": {"type": "array", "items": {"$ref": "#/components/schemas/Source"}}
            }
          },
          "Exclusion": {
            "type": "object", "required": ["reason", "detail", "provider_id", "name", "service"],
            "properties": {
              "reason": {"type": "string", "enum": ["outside_area", "beyond_legal_radius", "location_unknown", "closed_in_window", "on_call_expired"]},
              "detail": {"type": "string"}, "provider_id": {"type": "integer"}, "name": {"type": "string"}, "service": {"type": "string"}, "distance_m": {"type": "number"}
            }
          },
          "CoverageAnswer": {
            "type": "object", "required": ["query", "window", "total", "results", "datasets"],
            "properties": {
              "query": {"type": "object", "required": ["services", "from", "to", "lat", "lon"], "properties": {
                "services": {"type": "array", "items": {"type": "string"}}, "from": {"type": "string", "format": "date-time"}, "to": {"type": "string", "format": "date-time"},
                "lat": {"type": "number"}, "lon": {"type": "number"}, "geocode": {"$ref": "#/components/schemas/Geocode"}}},
              "municipality_code": {"type": "string"}, "municipality": {"type": "string"}, "town": {"type": "string"},
              "window": {"type": "object", "required": ["from", "to"], "properties": {"from": {"type": "string", "format": "date-time"}, "to": {"type": "string", "format": "date-time"}}},
              "total": {"type": "integer", "minimum": 0},
              "results": {"type": "array", "items": {"$ref": "#/components/schemas/CoverageEntry"}},
              "excluded": {"type": "array", "items": {"$ref": "#/components/schemas/Exclusion"}},
              "datasets": {"type": "array", "items": {"$ref": "#/components/schemas/Source"}}
            }
          },
          "Geocode": {
            "type": "object", "required": ["prefecture", "city", "city_code", "town", "rest", "level", "lat", "lon", "candidates"],
            "properties": {
              "prefecture": {"type": ["string", "null"]}, "city": {"type": ["string", "null"]}, "city_code": {"type": ["string", "null"]},
              "town": {"type": ["string", "null"]}, "rest": {"type": "string"}, "block_number": {"type": ["string", "null"]}, "other": {"type": ["string", "null"]},
              "level": {"type": "integer", "minimum": 0, "maximum": 3}, "lat": {"type": ["number", "null"]}, "lon": {"type": ["number", "null"]},
              "point_level": {"type": ["string", "null"], "enum": ["town", "city", null]},
              "candidates": {"type": "array", "items": {"type": "object", "properties": {"prefecture": {"type": "string"}, "city": {"type": "string"}, "city_code": {"type": "string"}, "town": {"type": "string"}}}},
              "message": {"type": ["string", "null"]}
            }
          },
          "Reverse": {
            "type": "object", "required": ["prefecture", "city", "city_code", "town", "lat", "lon", "level"],
            "properties": {
              "prefecture": {"type": ["string", "null"]}, "city": {"type": ["string", "null"]}, "city_code": {"type": ["string", "null"]},
              "town": {"type": ["string", "null"]}, "town_distance_m": {"type": ["number", "null"]}, "lat": {"type": "number"}, "lon": {"type": "number"},
              "level": {"type": "integer", "minimum": 0, "maximum": 3}
            }
          },
          "ProviderDetail": {
            "type": "object", "required": ["id", "official_id", "source", "kind", "name", "location_known", "services", "capabilities", "hours", "service_areas", "contact", "sources"],
            "properties": {
              "id": {"type": "integer"}, "official_id": {"type": "string"}, "source": {"type": "string"}, "kind": {"type": "string"}, "name": {"type": "string"},
              "address": {"type": "string"}, "municipality_code": {"type": "string"}, "lat": {"type": "number"}, "lon": {"type": "number"}, "location_known": {"type": "boolean"},
              "services": {"type": "array", "items": {"type": "string"}}, "capabilities": {"type": "array", "items": {"type": "string"}},
              "hours": {"type": "array", "items": {"type": "object", "properties": {"service": {"type": "string"}, "scope": {"type": "string", "enum": ["outpatient", "service"]}, "label": {"type": "string"}, "opening_hours": {"type": "string"}}}},
              "service_areas": {"type": "array", "items": {"type": "object", "required": ["rule"], "properties": {"service": {"type": "string"}, "rule": {"type": "string"}, "radius_m": {"type": "number"}, "municipalities": {"type": "array", "items": {"type": "string"}}, "towns": {"type": "array", "items": {"type": "string"}}, "polygon": {"type": "boolean"}}}},
              "contact": {"$ref": "#/components/schemas/Contact"},
              "sources": {"type": "array", "items": {"$ref": "#/components/schemas/Source"}}
            }
          },
          "FeatureCollection": {
            "type": "object", "required": ["type", "features", "number_matched", "number_returned"],
            "properties": {
              "type": {"const": "FeatureCollection"},
              "number_matched": {"type": "integer"}, "number_returned": {"type": "integer"},
              "features": {"type": "array", "items": {"type": "object", "required": ["type", "id", "geometry", "properties"], "properties": {
                "type": {"const": "Feature"}, "id": {"type": "integer"},
                "geometry": {"type": "object", "required": ["type", "coordinates"], "properties": {"type": {"const": "Point"}, "coordinates": {"type": "array", "minItems": 2, "maxItems": 2, "items": {"type": "number"}}}},
                "properties": {"type": "object", "additionalProperties": {"type": "string"}}}}}
            }
          },
          "OnCallView": {
            "type": "object", "required": ["provider_id", "status"],
            "properties": {
              "provider_id": {"type": "integer"},
              "status": {"type": "string", "enum": ["active", "upcoming", "expired", "none"]},
              "report": {"type": "object", "required": ["id", "provider_id", "starts_at", "ends_at", "reported_by", "reported_at"], "properties": {
                "id": {"type": "integer"}, "provider_id": {"type": "integer"}, "service": {"type": "string"},
                "starts_at": {"type": "string", "format": "date-time"}, "ends_at": {"type": "string", "format": "date-time"},
                "contact": {"type": "string"}, "note": {"type": "string"}, "reported_by": {"type": "string"}, "reported_at": {"type": "string", "format": "date-time"}}}
            }
          }
        }
      }
    }
    """#
        .replacingOccurrences(of: "PROBLEMS", with: problemResponses.trimmingCharacters(in: .whitespacesAndNewlines))
        .replacingOccurrences(of: "SERVICES_NULL", with: String(services.dropLast()) + ",null]")
        .replacingOccurrences(of: "SERVICES", with: services)
}
