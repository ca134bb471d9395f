// Splitting the manifest into lines and applying the manifest-wide rules: line length, stray
// bytes, comments, the `server` keyword, at most kMaxServers and one line per module.
#include "lib/manifest/manifest.h"

#include "lib/manifest/server_line.h"
#include "lib/manifest/text.h"

namespace bm::manifest {
namespace {

// The line without its comment: '#' starts one at the beginning or after a blank, so a '#'
// inside a word stays part of it (and is then rejected by the word's own rules).
Text strip_comment(Text line) {
  for (size_t i = 0; i < line.size; ++i) {
    if (line.data[i] == '#' && (i == 0 || is_blank(line.data[i - 1]))) return line.prefix(i);
  }
  return line;
}

// Byte-level checks on one line (ending already removed); these apply to comments as well.
Problem check_bytes(Text line) {
  if (line.size > kMaxLineLength) return out_of_range("line longer than 512 bytes");
  for (size_t i = 0; i < line.size; ++i) {
    if (line.data[i] == '\0') return malformed("NUL byte");
    if (line.data[i] == '\r') return malformed("carriage return inside a line");
  }
  return kFine;
}

bool same_module(const Server& a, const Server& b) {
  for (size_t i = 0; i < kNameLength; ++i) {
    if (a.module[i] != b.module[i]) return false;
  }
  return true;
}

Problem parse_line(Text line, Manifest* out) {
  Problem problem = check_bytes(line);
  if (!problem.ok()) return problem;
  Text content = strip_comment(line);
  size_t start = 0;
  while (start < content.size && is_blank(content.data[start])) ++start;
  if (start == content.size) return kFine;  // blank or comment only
  content = content.from(start);
  size_t keyword_end = 0;
  while (keyword_end < content.size && !is_blank(content.data[keyword_end])) ++keyword_end;
  if (!equals(content.prefix(keyword_end), "server")) {
    return malformed("line does not start with 'server'");
  }
  if (out->server_count == kMaxServers) return out_of_range("more than 16 servers");
  Server* server = &out->servers[out->server_count];
  problem = parse_server_line(content.from(keyword_end), server);
  if (!problem.ok()) return problem;
  for (size_t i = 0; i < out->server_count; ++i) {
    if (same_module(out->servers[i], *server)) return malformed("module has two server lines");
  }
  ++out->server_count;
  return kFine;
}

Result<void> fail(Manifest* out, ParseError* error, size_t line, Problem problem) {
  if (out != nullptr) out->server_count = 0;
  if (error != nullptr) *error = {line, problem.reason};
  return problem.error;
}

}  // namespace

Result<void> parse(const char* text, size_t length, Manifest* out, ParseError* error) {
  if (out == nullptr) return fail(out, error, 0, {Error::kInvalidArgument, "no output manifest"});
  out->server_count = 0;
  if (text == nullptr && length != 0) {
    return fail(out, error, 0, {Error::kInvalidArgument, "no manifest text"});
  }
  Text rest{text, length};
  size_t line_number = 0;
  while (!rest.empty()) {
    ++line_number;
    size_t end = find_char(rest, '\n');
    Text line = rest.prefix(end);
    rest = end < rest.size ? rest.from(end + 1) : rest.from(end);
    // "\r\n" endings; a last line without "\n" may still end in "\r".
    if (!line.empty() && line.data[line.size - 1] == '\r') line = line.prefix(line.size - 1);
    Problem problem = parse_line(line, out);
    if (!problem.ok()) return fail(out, error, line_number, problem);
  }
  if (error != nullptr) *error = {0, "ok"};
  return {};
}

const Server* find(const Manifest& manifest, const char* module) {
  if (module == nullptr) return nullptr;
  size_t count = manifest.server_count < kMaxServers ? manifest.server_count : kMaxServers;
  for (size_t s = 0; s < count; ++s) {
    const char* name = manifest.servers[s].module;
    size_t i = 0;
    while (i < kNameLength && name[i] != '\0' && name[i] == module[i]) ++i;
    if (i < kNameLength && name[i] == '\0' && module[i] == '\0') return &manifest.servers[s];
  }
  return nullptr;
}

}  // namespace bm::manifest
