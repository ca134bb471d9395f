// Joining separate server lines (one per servers/NAME/manifest) into the manifest init reads:
// every line checked with parse(), then written in the order init should start them.
#pragma once

#include <stddef.h>

#include "lib/core/result.h"
#include "lib/manifest/manifest.h"
#include "lib/manifest/text.h"

namespace bm::manifest {

// The input line at fault (0-based index into `lines`) and a static reason, as parse() gives.
struct LineError {
  size_t index;
  const char* reason;
};

// Writes `count` server lines (each one `server ...` line, no line ending) to `out`, each
// followed by "\n", by descending priority and in input order among equal priorities: drivers
// run above their clients, so they start first and have registered their names when a client
// looks them up. Before anything is written each line must parse on its own as exactly one
// server line, and together they must form a valid manifest (at most kMaxServers, a module on
// one line only). Returns the bytes written. Errors: parse()'s kMalformed or kOutOfRange with
// *error naming the line, kInvalidArgument for null arguments, kOutOfRange when `capacity`
// is too small. On an error the content of `out` is unspecified.
Result<size_t> assemble(const Text* lines, size_t count, char* out, size_t capacity,
                        LineError* error);

}  // namespace bm::manifest
