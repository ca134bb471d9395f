// Between the suite (runner.cpp) and its helper programs (helper.cpp): a helper reports
// "ready" once its files are open by calling the endpoint the suite registers, and carries on
// when the suite answers. The suite may instead kill it while it waits.
#pragma once

#include <stdint.h>

namespace fs_tests {

constexpr const char* kControlName = "fs_tests_ctl";
// helper -> suite: w0 = the helper's number, w1 = checks failed so far, w2, w3 = its fds.
constexpr uint32_t kReadyLabel = 0xf5'0001;
// suite -> helper: carry on (and then exit with the number of failed checks).
constexpr uint32_t kGoLabel = 0xf5'0002;

// What the helpers put in /tmp. Workers write their own file and their part of a shared one.
constexpr uint32_t kWorkers = 4;
constexpr uint32_t kWorkerChunkBytes = 512;
constexpr uint32_t kWorkerFileBytes = 6 * kWorkerChunkBytes;
constexpr uint32_t kSharedPartBytes = kWorkerChunkBytes;  // written from the same chunk
constexpr const char* kSharedPath = "/tmp/shared";
inline char worker_byte(uint32_t worker) { return static_cast<char>('a' + worker); }

// The holder's file: unlinked while open, so its bytes count against /tmp's limit until the
// holder's last close, which is its end when it is killed or exits with the file open.
constexpr const char* kHeldPath = "/tmp/held";
constexpr uint32_t kHeldBytes = 20000;
// /tmp's limit on the suite's ISO (meson.build: tmp_bytes=32768): room for the workers' files,
// and a probe of kProbeBytes fits next to nothing but not next to the held file (each file
// costs 256 bytes more, its data rounded up to 64).
constexpr uint64_t kTmpBytes = 32768;
constexpr uint32_t kProbeBytes = 16000;
static_assert(kHeldBytes + kProbeBytes + 2 * 256 > kTmpBytes && kHeldBytes + 256 < kTmpBytes);

}  // namespace fs_tests
