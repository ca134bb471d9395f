// Checking server lines one by one and together, and writing them in start order.
#include "lib/manifest/assemble.h"

namespace bm::manifest {
namespace {

Result<size_t> fail(LineError* error, size_t index, Error kind, const char* reason) {
  if (error != nullptr) *error = {index, reason};
  return kind;
}

// The line's priority if it is exactly one valid server line, checked with the real parser.
Result<uint8_t> check_alone(Text line, const char** reason) {
  // A line ending inside would make two lines of one, or vanish as a "\r\n" ending.
  if (find_char(line, '\n') < line.size || find_char(line, '\r') < line.size) {
    *reason = "a server line must be a single line";
    return Error::kMalformed;
  }
  Manifest manifest;
  ParseError parse_error{};
  Result<void> parsed = parse(line.data, line.size, &manifest, &parse_error);
  if (!parsed.ok()) {
    *reason = parse_error.reason;
    return parsed.error();
  }
  if (manifest.server_count != 1) {
    *reason = "not a server line";
    return Error::kMalformed;
  }
  return manifest.servers[0].priority;
}

}  // namespace

Result<size_t> assemble(const Text* lines, size_t count, char* out, size_t capacity,
                        LineError* error) {
  if ((lines == nullptr && count != 0) || (out == nullptr && capacity != 0)) {
    return fail(error, 0, Error::kInvalidArgument, "null argument");
  }
  uint8_t priority[kMaxServers];
  for (size_t i = 0; i < count; ++i) {
    // As parse() reports it: at the first line past the limit.
    if (i == kMaxServers) return fail(error, i, Error::kOutOfRange, "more than 16 servers");
    const char* reason = nullptr;
    Result<uint8_t> checked = check_alone(lines[i], &reason);
    if (!checked.ok()) return fail(error, i, checked.error(), reason);
    priority[i] = *checked;
  }

  // Insertion sort of the indices: stable, and count is at most 16.
  size_t order[kMaxServers];
  for (size_t i = 0; i < count; ++i) {
    size_t at = i;
    while (at > 0 && priority[order[at - 1]] < priority[i]) {
      order[at] = order[at - 1];
      --at;
    }
    order[at] = i;
  }

  size_t written = 0;
  for (size_t k = 0; k < count; ++k) {
    Text line = lines[order[k]];
    if (line.size + 1 > capacity - written) {
      return fail(error, order[k], Error::kOutOfRange, "manifest larger than the output buffer");
    }
    for (size_t i = 0; i < line.size; ++i) out[written + i] = line.data[i];
    written += line.size;
    out[written++] = '\n';
  }

  // The rules that span lines (one line per module) come from the parser too: output line
  // k is input line order[k].
  Manifest manifest;
  ParseError parse_error{};
  Result<void> parsed = parse(out, written, &manifest, &parse_error);
  if (!parsed.ok()) {
    size_t index = parse_error.line == 0 ? 0 : order[parse_error.line - 1];
    return fail(error, index, parsed.error(), parse_error.reason);
  }
  return written;
}

}  // namespace bm::manifest
