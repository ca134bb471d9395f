// manifest-tool: the build's manifest writer and checker, a host program built from
// lib/manifest, so the manifest grammar (docs/manifest.md) has one implementation.
//
//   manifest-tool --output FILE 'server NAME key=value ...' ...   write the manifest
//   manifest-tool --check FILE                                      check a manifest file
#include <stdio.h>
#include <string.h>

#include <memory>
#include <string>
#include <vector>

#include "lib/manifest/assemble.h"
#include "lib/manifest/manifest.h"

namespace {

constexpr char kHeader[] =
    "# Server manifest, written by the build from servers/*/manifest; see docs/manifest.md.\n"
    "# Do not edit.\n";

int usage() {
  fprintf(stderr,
          "usage: manifest-tool --output FILE 'server NAME ...' ...\n"
          "       manifest-tool --check FILE\n");
  return 2;
}

bool read_file(const char* path, std::string* out) {
  FILE* file = fopen(path, "rb");
  if (file == nullptr) return false;
  char chunk[4096];
  size_t got = 0;
  while ((got = fread(chunk, 1, sizeof(chunk), file)) > 0) out->append(chunk, got);
  bool ok = ferror(file) == 0;
  fclose(file);
  return ok;
}

// Replaces `path` in one step, so a failed run never leaves a half-written manifest.
bool write_file(const char* path, const std::string& text) {
  std::string temporary = std::string(path) + ".tmp";
  FILE* file = fopen(temporary.c_str(), "wb");
  if (file == nullptr) return false;
  bool ok = fwrite(text.data(), 1, text.size(), file) == text.size();
  ok = fclose(file) == 0 && ok;
  return ok && rename(temporary.c_str(), path) == 0;
}

int check(const char* path) {
  std::string text;
  if (!read_file(path, &text)) {
    fprintf(stderr, "manifest-tool: cannot read %s\n", path);
    return 1;
  }
  auto manifest = std::make_unique<bm::manifest::Manifest>();
  bm::manifest::ParseError error{};
  if (!bm::manifest::parse(text.data(), text.size(), manifest.get(), &error).ok()) {
    fprintf(stderr, "manifest-tool: %s:%zu: %s\n", path, error.line, error.reason);
    return 1;
  }
  printf("%s: ok, %zu server(s)\n", path, manifest->server_count);
  return 0;
}

int write(const char* path, const std::vector<const char*>& entries) {
  remove(path);  // no stale manifest survives a failed run and ends up on an ISO
  std::vector<bm::manifest::Text> lines;
  size_t capacity = 0;
  for (const char* entry : entries) {
    lines.push_back({entry, strlen(entry)});
    capacity += lines.back().size + 1;
  }
  std::string body(capacity, '\0');
  bm::manifest::LineError error{};
  bm::Result<size_t> written =
      bm::manifest::assemble(lines.data(), lines.size(), body.data(), body.size(), &error);
  if (!written.ok()) {
    fprintf(stderr, "manifest-tool: %s\n  in: %s\n", error.reason,
            error.index < entries.size() ? entries[error.index] : "(no line)");
    return 1;
  }
  body.resize(*written);
  if (!write_file(path, kHeader + body)) {
    fprintf(stderr, "manifest-tool: cannot write %s\n", path);
    return 1;
  }
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc == 3 && strcmp(argv[1], "--check") == 0) return check(argv[2]);
  if (argc >= 3 && strcmp(argv[1], "--output") == 0) {
    return write(argv[2], std::vector<const char*>(argv + 3, argv + argc));
  }
  return usage();
}
