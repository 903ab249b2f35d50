import Foundation
import Testing
@testable import KakehashiGeo

@Suite struct GeoJSONTests {
    @Test func readsPolygonsAndProperties() throws {
        let json = #"{"type":"FeatureCollection","features":[{"type":"Feature","properties":{"N03_007":"11208","n":3,"b":true},"geometry":{"type":"Polygon","coordinates":[[[139,35],[140,35],[140,36],[139,35]]]}}]}"#
        let f = try GeoJSONReader.features(from: Data(json.utf8))
        #expect(f.count == 1)
        #expect(f[0].properties["N03_007"]?.text == "11208")
        #expect(f[0].properties["n"] == .number(3))
        #expect(f[0].properties["b"] == .bool(true))
        #expect(f[0].geometry?.contains(GeoPoint(lon: 139.9, lat: 35.5)) == true)
        #expect(f[0].geometry?.contains(GeoPoint(lon: 139.1, lat: 35.9)) == false)
    }

    @Test func namesTheFeatureOnBadGeometry() {
        let json = #"{"type":"FeatureCollection","features":[{"type":"Feature","properties":{},"geometry":{"type":"Point","coordinates":[1,2]}},{"type":"Feature","properties":{},"geometry":{"type":"Polygon","coordinates":[[[1,2],[3]]]}}]}"#
        #expect {
            try GeoJSONReader.features(from: Data(json.utf8))
        } throws: { error in
            (error as? GeoDecodingError)?.feature == 2
        }
    }

    @Test func refusesTruncatedJSON() {
        #expect(throws: GeoDecodingError.self) { try GeoJSONReader.features(from: Data(#"{"type":"FeatureCollection","features":[{"#.utf8)) }
    }

    @Test func topoJSONResolvesQuantisedArcs() throws {
        // Two squares sharing an edge; the second walks the shared arc backwards (~0 = -1).
        let topo = #"""
        {"type":"Topology","transform":{"scale":[0.5,0.5],"translate":[139,35]},
         "arcs":[[[2,0],[0,2]],[[2,2],[-2,0],[0,-2],[2,0]],[[2,0],[2,0],[0,2],[-2,0]]],
         "objects":{"a":{"type":"GeometryCollection","geometries":[
           {"type":"Polygon","arcs":[[0,1]],"properties":{"id":"L"}},
           {"type":"Polygon","arcs":[[2,-1]],"properties":{"id":"R"}}]}}}
        """#
        let f = try TopoJSONReader.features(from: Data(topo.utf8))
        #expect(f.count == 2)
        let left = try #require(f[0].geometry?.polygons?.first?.first)
        #expect(left.first == left.last)
        #expect(left.contains(GeoPoint(lon: 140, lat: 35)))
        #expect(f[0].geometry?.contains(GeoPoint(lon: 139.5, lat: 35.5)) == true)
        #expect(f[1].geometry?.contains(GeoPoint(lon: 140.5, lat: 35.5)) == true)
        #expect(f[1].geometry?.contains(GeoPoint(lon: 139.5, lat: 35.5)) == false)
    }

    /// A zero scale collapses every vertex to one point; said at once rather than found at repair.
    @Test func topoJSONWithAZeroScaleIsRefused() {
        for scale in ["[0,0]", "[0.5,0]", "[-1,1]"] {
            let topo = #"{"type":"Topology","transform":{"scale":"# + scale + #","translate":[139,35]},"arcs":[],"objects":{}}"#
            #expect(throws: GeoDecodingError.self) { try TopoJSONReader.features(from: Data(topo.utf8)) }
        }
    }

    /// An open ring is closed, and counted so that importers can say so.
    @Test func openRingsAreClosedAndCounted() throws {
        let json = #"{"type":"FeatureCollection","features":[{"type":"Feature","properties":{},"geometry":{"type":"MultiPolygon","coordinates":[[[[139,35],[140,35],[140,36],[139,36]]],[[[141,35],[142,35],[142,36],[141,35]]]]}}]}"#
        let f = try GeoJSONReader.features(from: Data(json.utf8))[0]
        #expect(f.closedRings == 1)
        let ring = try #require(f.geometry?.polygons?.first?.first)
        #expect(ring.first == ring.last && ring.count == 5)
    }
}
