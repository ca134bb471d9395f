// wc: `wc FILE...` prints the newlines, words and bytes of each file and its name, one line a
// file, and a "total" line after two or more, as POSIX wc does. Paths are absolute, or
// relative to / (a program does not inherit the shell's working directory). A file that
// cannot be read gets one line ("wc: /x: not found") and the exit status is 1; 2 for no
// arguments.
#include "lib/fmt/string.h"
#include "lib/fs/path.h"
#include "programs/wc/word_count.h"
#include "user/fs_client.h"
#include "user/program_arguments.h"
#include "user/program_output.h"

namespace {

using user::ProtocolStatus;

const bm::fs::Path kRoot{};

// Counts the file at `path` (absolute) into *out: kOk, or the file server's refusal.
ProtocolStatus count_file(const char* path, wc::Counts* out) {
  uint32_t fd = 0;
  ProtocolStatus status = user::fs::open(path, bm::ipc::fs::kOpenRead, &fd);
  if (status != ProtocolStatus::kOk) return status;
  static char chunk[bm::ipc::fs::kMaxIoBytes];
  wc::WordCounter counter;
  uint64_t offset = 0;
  for (;;) {
    uint32_t got = 0;
    status = user::fs::read(fd, offset, chunk, sizeof(chunk), &got);
    if (status != ProtocolStatus::kOk || got == 0) break;
    counter.add(chunk, got);
    offset += got;
  }
  (void)user::fs::close(fd);
  *out = counter.counts();
  return status;
}

void print_counts(user::ProgramOutput& out, const wc::Counts& counts, const char* name) {
  out.printf("%7lu %7lu %7lu %s\n", counts.lines, counts.words, counts.bytes, name);
}

}  // namespace

int main(uint64_t bootstrap) {
  user::ProgramOutput out(static_cast<user::Handle>(bootstrap));
  user::ProgramArguments arguments;
  if (user::read_program_arguments(bootstrap, &arguments) != ProtocolStatus::kOk ||
      arguments.count == 0) {
    out.printf("usage: wc FILE...\n");
    return 2;
  }
  wc::Counts total;
  bool failed = false;
  for (size_t i = 0; i < arguments.count; ++i) {
    const char* word = arguments.word[i];
    static bm::fs::Path path;
    bm::fs::FsError resolved =
        bm::fs::resolve_path(word, static_cast<uint32_t>(bm::string_length(word)), &kRoot, &path);
    ProtocolStatus status = resolved == bm::fs::FsError::kOk ? ProtocolStatus::kOk
                            : resolved == bm::fs::FsError::kNameTooLong
                                ? ProtocolStatus::kNameTooLong
                                : ProtocolStatus::kBadPath;
    wc::Counts counts;
    if (status == ProtocolStatus::kOk) status = count_file(path.text, &counts);
    if (status != ProtocolStatus::kOk) {
      out.printf("wc: %s: %s\n", word, user::fs::status_text(status));
      failed = true;
      continue;
    }
    print_counts(out, counts, word);
    total += counts;
  }
  if (arguments.count > 1) print_counts(out, total, "total");
  return failed ? 1 : 0;
}
