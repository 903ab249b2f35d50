import KakehashiLayers

/// The memory each cache of built things may hold (`serve --tile-cache-mb` and friends). Every
/// cache is bounded by bytes, never by a count of entries: sizes differ by a thousand times.
public struct CacheBudgets: Sendable {
    /// Built vector tiles, as sent.
    public var tiles = TileCache.defaultBudget
    /// Coverage variants of the municipal and mesh layers, prepared for tiling.
    public var layerVariants = TileSource.defaultVariantBudget
    /// Built layer files (`/v1/layers/{layer}.geojson|.csv`).
    public var layerFiles = 128 << 20

    public init() {}
}
