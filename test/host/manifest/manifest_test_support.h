// Shared by the manifest host tests: parse a std::string from a heap buffer of exactly its
// length, so ASan reports any read past the end (there is no NUL after the text).
#pragma once

#include <memory>
#include <string>

#include "lib/manifest/manifest.h"

namespace bm::manifest {

struct Parsed {
  Result<void> result;
  ParseError error;
  std::unique_ptr<Manifest> manifest;  // big (several KiB), so not on the stack
};

inline Parsed parse_string(const std::string& text) {
  auto bytes = std::make_unique<char[]>(text.size());
  for (size_t i = 0; i < text.size(); ++i) bytes[i] = text[i];
  auto manifest = std::make_unique<Manifest>();
  ParseError error{12345, "untouched"};
  Result<void> result = parse(bytes.get(), text.size(), manifest.get(), &error);
  return {result, error, std::move(manifest)};
}

}  // namespace bm::manifest
