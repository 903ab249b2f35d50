// spatialite.h does not compile on its own: it needs sqlite3.h first.
#include <sqlite3.h>
#include <spatialite.h>
