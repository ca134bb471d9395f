// compress-module: the build's boot-module compressor, a host program built from lib/compress,
// so the ISO's modules are written by the same codec init decodes (docs/boot.md).
//
//   compress-module INPUT OUTPUT    write INPUT as a BMLZ container (lib/compress/format.h)
//
// It decodes what it wrote and compares, so a codec bug fails the build, not the boot.
#include <stdio.h>
#include <string.h>

#include <memory>
#include <string>
#include <vector>

#include "lib/compress/compress.h"
#include "lib/compress/decompress.h"

namespace {

bool read_file(const char* path, std::vector<uint8_t>* out) {
  FILE* file = fopen(path, "rb");
  if (file == nullptr) return false;
  uint8_t chunk[65536];
  size_t got = 0;
  while ((got = fread(chunk, 1, sizeof(chunk), file)) > 0)
    out->insert(out->end(), chunk, chunk + got);
  bool ok = ferror(file) == 0;
  fclose(file);
  return ok;
}

// Replaces `path` in one step, so a failed run never leaves a half-written module.
bool write_file(const char* path, const uint8_t* data, size_t size) {
  std::string temporary = std::string(path) + ".tmp";
  FILE* file = fopen(temporary.c_str(), "wb");
  if (file == nullptr) return false;
  bool ok = fwrite(data, 1, size, file) == size;
  ok = fclose(file) == 0 && ok;
  return ok && rename(temporary.c_str(), path) == 0;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 3) {
    fprintf(stderr, "usage: compress-module INPUT OUTPUT\n");
    return 2;
  }
  std::vector<uint8_t> input;
  if (!read_file(argv[1], &input)) {
    fprintf(stderr, "compress-module: cannot read %s\n", argv[1]);
    return 1;
  }
  std::vector<uint8_t> output(bm::compress::compressed_bound(input.size()));
  auto workspace = std::make_unique<uint8_t[]>(bm::compress::kEncoderWorkspaceBytes);
  auto written = bm::compress::compress(input.data(), input.size(), output.data(), output.size(),
                                        workspace.get(), bm::compress::kEncoderWorkspaceBytes);
  if (!written.ok()) {
    fprintf(stderr, "compress-module: %s: %s\n", argv[1],
            bm::compress::encode_error_text(written.error()));
    return 1;
  }
  std::vector<uint8_t> check(input.size());
  auto decoded = bm::compress::decompress(output.data(), *written, check.data(), check.size());
  if (!decoded.ok() || *decoded != input.size() ||
      (!input.empty() && memcmp(check.data(), input.data(), input.size()) != 0)) {
    fprintf(stderr, "compress-module: %s: the compressed stream does not decode to the input\n",
            argv[1]);
    return 1;
  }
  if (!write_file(argv[2], output.data(), *written)) {
    fprintf(stderr, "compress-module: cannot write %s\n", argv[2]);
    return 1;
  }
  return 0;
}
