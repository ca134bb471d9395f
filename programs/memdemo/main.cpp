// memdemo: exercises memd and IPC the way a program uses them. It allocates blocks of several
// sizes through the runtime heap (memd places them; small ones pass through the block cache),
// fills each with a pattern of its own, checks every pattern, frees them, then calls the echo
// server (looked up by name) a few times and checks each answer. One summary line; exit code
// 0 when every check passed, 1 when a check failed, 2 when memd or echo is missing.
// `memdemo hold MS` keeps its blocks for MS milliseconds before it checks them, so that the
// shell's `mem` can be seen to name it in memd's table.
#include "ipc/echo.h"
#include "lib/fmt/string.h"
#include "user/heap.h"
#include "user/ipc.h"
#include "user/program_arguments.h"
#include "user/program_output.h"
#include "user/services.h"
#include "user/syscalls.h"

namespace {

constexpr size_t kSizes[] = {16, 24, 100, 256, 1000, 4096, 10000, 65536};
constexpr size_t kRounds = 4;  // each size this many times, all live at once
constexpr size_t kBlocks = sizeof(kSizes) / sizeof(kSizes[0]) * kRounds;
constexpr int kEchoCalls = 8;
constexpr uint32_t kEchoLabel = 0x6d656d64;  // "memd"

uint8_t pattern(size_t block, size_t offset) {
  return static_cast<uint8_t>(block * 31 + offset * 7 + 1);
}

struct HeapResult {
  size_t allocated = 0;
  size_t bytes = 0;
  size_t bad = 0;  // blocks that failed or came back changed
};

// `hold MS` (MS at most a minute): how many ticks to hold the blocks; 0 without arguments.
// False for any other arguments.
bool hold_ticks(const user::ProgramArguments& arguments, uint64_t* ticks) {
  *ticks = 0;
  if (arguments.count == 0) return true;
  if (arguments.count != 2 || !bm::string_equal(arguments.word[0], "hold")) return false;
  uint64_t milliseconds = 0;
  for (const char* c = arguments.word[1]; *c != '\0'; ++c) {
    if (*c < '0' || *c > '9') return false;
    milliseconds = milliseconds * 10 + static_cast<uint64_t>(*c - '0');
    if (milliseconds > 60'000) return false;
  }
  *ticks = (milliseconds * user::timer_hz() + 999) / 1000;
  return true;
}

HeapResult exercise_heap(uint64_t hold) {
  HeapResult result;
  uint8_t* blocks[kBlocks] = {};
  for (size_t i = 0; i < kBlocks; ++i) {
    size_t size = kSizes[i % (sizeof(kSizes) / sizeof(kSizes[0]))];
    blocks[i] = static_cast<uint8_t*>(user::malloc(size));
    if (blocks[i] == nullptr) {
      ++result.bad;
      continue;
    }
    ++result.allocated;
    result.bytes += size;
    for (size_t offset = 0; offset < size; ++offset) blocks[i][offset] = pattern(i, offset);
  }
  if (hold != 0) (void)user::sleep(hold);
  // Only now, with every block live: overlapping blocks would have overwritten each other.
  for (size_t i = 0; i < kBlocks; ++i) {
    if (blocks[i] == nullptr) continue;
    size_t size = kSizes[i % (sizeof(kSizes) / sizeof(kSizes[0]))];
    for (size_t offset = 0; offset < size; ++offset) {
      if (blocks[i][offset] != pattern(i, offset)) {
        ++result.bad;
        break;
      }
    }
    user::free(blocks[i]);
  }
  return result;
}

// Round trips to echo with four words each, every answer compared with what was sent.
int exercise_echo(user::Handle echo) {
  int good = 0;
  for (int call = 0; call < kEchoCalls; ++call) {
    user::Message request;
    request.label = kEchoLabel;
    request.words = 4;
    for (uint32_t i = 0; i < 4; ++i) request.word[i] = 0x6d656d00ull + call * 4 + i;
    user::Message reply;
    if (user::call(echo, request, &reply) != user::Status::kOk) continue;
    bool same = reply.label == kEchoLabel && reply.words == 4;
    for (uint32_t i = 0; same && i < 4; ++i) same = reply.word[i] == request.word[i];
    good += same ? 1 : 0;
  }
  return good;
}

}  // namespace

int main(uint64_t bootstrap) {
  auto init = static_cast<user::Handle>(bootstrap);
  user::ProgramOutput out(init);
  user::ProgramArguments arguments;
  uint64_t hold = 0;
  if (user::read_program_arguments(bootstrap, &arguments) != user::ProtocolStatus::kOk ||
      !hold_ticks(arguments, &hold)) {
    out.printf("usage: memdemo [hold MS]\n");
    return 2;
  }
  HeapResult heap = exercise_heap(hold);
  if (user::heap_source() != user::HeapSource::kMemd) {
    out.printf("memdemo: no memd: %zu of %zu blocks on a local heap\n", heap.allocated, kBlocks);
    return 2;
  }
  user::Handle echo = 0;
  if (user::lookup_service(init, bm::ipc::echo::kServiceName, 0, &echo) != user::ProtocolStatus::kOk) {
    out.printf("memdemo: no echo server\n");
    return 2;
  }
  int echoed = exercise_echo(echo);
  bool passed = heap.bad == 0 && echoed == kEchoCalls;
  out.printf("memdemo: %zu blocks (%zu bytes) from memd, %zu bad; %d of %d echo calls correct: %s\n",
             heap.allocated, heap.bytes, heap.bad, echoed, kEchoCalls, passed ? "ok" : "FAILED");
  return passed ? 0 : 1;
}
