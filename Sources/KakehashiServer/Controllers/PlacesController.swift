import Foundation
import Hummingbird
import KakehashiAddress
import KakehashiGeo
import KakehashiStore

/// `GET /v1/geocode?q=` and `GET /v1/reverse?lat=&lon=`.
struct PlacesController<Context: RequestContext> {
    let state: AppState

    func register(on router: Router<Context>) {
        router.get("/v1/geocode") { request, _ in
            let q = QueryParameters(request: request)
            guard let text = try q.string("q", max: 200) else { throw Problem.badRequest("q", "q（住所）が必要です") }
            do { return try JSON.response(try self.state.geocoder.geocode(text)) } catch let e as AddressInputError {
                throw Problem.badRequest("q", e.description)
            }
        }
        router.get("/v1/reverse") { request, _ in
            let q = QueryParameters(request: request)
            guard let lat = try q.double("lat", range: -90...90) else { throw Problem.badRequest("lat", "lat が必要です") }
            guard let lon = try q.double("lon", range: -180...180) else { throw Problem.badRequest("lon", "lon が必要です") }
            return try JSON.response(try self.state.database.reverseGeocode(lat: lat, lon: lon))
        }
    }
}
