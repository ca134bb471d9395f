// fs-test-helper: a program the file-server suite (test/fs) starts through init, so that each
// helper is a client of fs of its own (init introduces every task that looks fs up). Its
// argument words say what it does:
//   worker K   writes /tmp/wK and part K of /tmp/shared while other workers do the same,
//              reports ready with its two fds, and once told reads both back and closes them
//   holder     makes /tmp/held, unlinks it while open, reports ready and waits: the suite
//              then lets it exit or kills it, with the file still open
//   survivor   opens /boot/motd and reports ready; the suite restarts fs meanwhile, so its
//              fd must be refused (not hang) and /boot/motd must open again
// It exits with the number of its checks that failed, each also printed on COM1.
#include "lib/fmt/string.h"
#include "test/fs/control.h"
#include "user/fs_client.h"
#include "user/print.h"
#include "user/program_arguments.h"
#include "user/services.h"

namespace {

namespace fs = user::fs;
using bm::ipc::ProtocolStatus;
using namespace fs_tests;

constexpr uint64_t kOpenNew = bm::ipc::fs::kOpenRead | bm::ipc::fs::kOpenWrite |
                              bm::ipc::fs::kOpenCreate | bm::ipc::fs::kOpenExclusive;
constexpr uint64_t kOpenShared =
    bm::ipc::fs::kOpenRead | bm::ipc::fs::kOpenWrite | bm::ipc::fs::kOpenCreate;
constexpr uint64_t kLookupTicks = 1000;

const char* role = "?";
uint32_t failures = 0;

void check(bool ok, const char* what) {
  if (ok) return;
  ++failures;
  user::printf("fs helper %s: check failed: %s\n", role, what);
}

void check_status(ProtocolStatus status, ProtocolStatus expected, const char* what) {
  if (status == expected) return;
  ++failures;
  user::printf("fs helper %s: check failed: %s: expected %s, got %s\n", role, what,
               bm::ipc::protocol_status_text(expected), bm::ipc::protocol_status_text(status));
}

// True if `length` bytes from `offset` of fd all read as `byte`.
bool reads_as(uint32_t fd, uint64_t offset, uint32_t length, char byte) {
  static char buffer[kWorkerFileBytes];
  uint32_t got = 0;
  if (length > sizeof buffer) return false;
  if (fs::read(fd, offset, buffer, length, &got) != ProtocolStatus::kOk || got != length) {
    return false;
  }
  for (uint32_t i = 0; i < length; ++i) {
    if (buffer[i] != byte) return false;
  }
  return true;
}

// Calls the suite's endpoint with kReady; true once the suite says go.
bool ready(uint64_t bootstrap, uint64_t number, uint64_t first_fd, uint64_t second_fd) {
  user::Handle control = 0;
  if (user::lookup_service(static_cast<user::Handle>(bootstrap), kControlName, kLookupTicks,
                           &control) != ProtocolStatus::kOk) {
    check(false, "the suite's control endpoint");
    return false;
  }
  user::Message request;
  request.label = kReadyLabel;
  request.words = 4;
  request.word[0] = number;
  request.word[1] = failures;
  request.word[2] = first_fd;
  request.word[3] = second_fd;
  user::Message reply;
  bool go = user::call(control, request, &reply) == bm::abi::Status::kOk &&
            reply.label == kGoLabel;
  (void)user::handle_close(control);
  return go;
}

void worker(uint64_t bootstrap, uint32_t number) {
  char path[] = "/tmp/w?";
  path[6] = static_cast<char>('0' + number);
  const char byte = worker_byte(number);
  static char chunk[kWorkerChunkBytes];
  for (char& c : chunk) c = byte;
  uint32_t own = 0;
  uint32_t shared = 0;
  check_status(fs::open(path, kOpenNew, &own), ProtocolStatus::kOk, "open its own file");
  // In chunks, yielding between them, so the workers' writes interleave at fs.
  for (uint32_t offset = 0; offset < kWorkerFileBytes; offset += kWorkerChunkBytes) {
    check_status(fs::write(own, offset, chunk, kWorkerChunkBytes), ProtocolStatus::kOk,
                 "write a chunk of its own file");
    user::yield();
  }
  check_status(fs::open(kSharedPath, kOpenShared, &shared), ProtocolStatus::kOk,
               "open the shared file");
  check_status(fs::write(shared, uint64_t{number} * kSharedPartBytes, chunk, kSharedPartBytes),
               ProtocolStatus::kOk, "write its part of the shared file");
  check(reads_as(own, 0, kWorkerFileBytes, byte), "its own file holds its bytes");
  check_status(fs::close(7), ProtocolStatus::kInvalidHandle, "close an fd it never opened");
  if (!ready(bootstrap, number, own, shared)) return;
  // Every worker has the same fd numbers by now; each still reaches its own file.
  check(reads_as(own, 0, kWorkerFileBytes, byte), "its own file, after the others wrote");
  check(reads_as(shared, uint64_t{number} * kSharedPartBytes, kSharedPartBytes, byte),
        "its part of the shared file");
  check_status(fs::close(own), ProtocolStatus::kOk, "close its own file");
  check_status(fs::close(shared), ProtocolStatus::kOk, "close the shared file");
  check_status(fs::close(own), ProtocolStatus::kInvalidHandle, "close an fd twice");
}

void holder(uint64_t bootstrap) {
  static char bytes[kHeldBytes];
  for (char& c : bytes) c = 'h';
  uint32_t fd = 0;
  check_status(fs::open(kHeldPath, kOpenNew, &fd), ProtocolStatus::kOk, "make the held file");
  check_status(fs::write(fd, 0, bytes, kHeldBytes), ProtocolStatus::kOk, "fill it");
  check_status(fs::unlink(kHeldPath), ProtocolStatus::kOk, "unlink it while open");
  bm::ipc::fs::FileInfo info;
  check_status(fs::stat(kHeldPath, &info), ProtocolStatus::kNotFound, "its name is gone");
  check(reads_as(fd, kHeldBytes - 100, 100, 'h'), "it still reads through the fd");
  (void)ready(bootstrap, 0, fd, 0);  // the suite lets it go, or kills it here
  // Exits with the file open: fs closes it when the task ends.
}

void survivor(uint64_t bootstrap) {
  char before[16] = {};
  char after[16] = {};
  uint32_t fd = 0;
  uint32_t got = 0;
  check_status(fs::open("/boot/motd", bm::ipc::fs::kOpenRead, &fd), ProtocolStatus::kOk,
               "open /boot/motd");
  check_status(fs::read(fd, 0, before, sizeof before, &got), ProtocolStatus::kOk, "read it");
  if (!ready(bootstrap, 0, fd, 0)) return;
  // fs was restarted meanwhile: the old fd means nothing to the new instance.
  check_status(fs::read(fd, 0, after, sizeof after, &got), ProtocolStatus::kInvalidHandle,
               "the fd of the old fs");
  check_status(fs::open("/boot/motd", bm::ipc::fs::kOpenRead, &fd), ProtocolStatus::kOk,
               "open /boot/motd again");
  check_status(fs::read(fd, 0, after, sizeof after, &got), ProtocolStatus::kOk, "read it again");
  bool same = got == sizeof after;
  for (size_t i = 0; same && i < sizeof after; ++i) same = before[i] == after[i];
  check(same, "the same bytes from the new fs");
  check_status(fs::close(fd), ProtocolStatus::kOk, "close it");
}

}  // namespace

int main(uint64_t bootstrap) {
  user::ProgramArguments arguments;
  if (user::read_program_arguments(bootstrap, &arguments) != ProtocolStatus::kOk ||
      arguments.count == 0) {
    user::printf("fs helper: bad arguments\n");
    return 100;
  }
  role = arguments.word[0];
  if (bm::string_equal(role, "worker") && arguments.count == 2 &&
      arguments.word[1][0] >= '0' && arguments.word[1][0] < static_cast<char>('0' + kWorkers)) {
    worker(bootstrap, static_cast<uint32_t>(arguments.word[1][0] - '0'));
  } else if (bm::string_equal(role, "holder")) {
    holder(bootstrap);
  } else if (bm::string_equal(role, "survivor")) {
    survivor(bootstrap);
  } else {
    user::printf("fs helper: unknown role %s\n", role);
    return 100;
  }
  return static_cast<int>(failures);
}
