// One `server <module> [key=value ...]` line of the manifest, comment already removed.
#pragma once

#include "lib/manifest/manifest.h"
#include "lib/manifest/text.h"

namespace bm::manifest {

// Fills *out (defaults first) from the words after `server`: the module name, then the keys.
// Checks everything that concerns this line alone; manifest-wide rules (server count,
// a module on two lines) are the caller's.
Problem parse_server_line(Text arguments, Server* out);

}  // namespace bm::manifest
