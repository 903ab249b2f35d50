// GEOS's reentrant C API (the `_r` functions), used to make tile polygons valid on the tile grid.
#define GEOS_USE_ONLY_R_API
#include <geos_c.h>
