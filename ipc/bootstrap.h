// The protocol between init and the tasks it starts. Each task receives, as
// the argument of main, a handle to init's endpoint (badged: init knows who
// calls). Over it the task asks for the resources its manifest entry grants,
// registers the services it offers and looks up the ones it uses.
//
//   kGetGrant      w0 = index (0, 1, ...)
//     reply: w0 = Status (kOk, or kInvalidArgument past the last grant),
//            w1 = GrantKind, w2/w3 = details (below); the grant's handle attached
//   kRegister      w0..w3 = name (ipc/names.h); an endpoint handle (write, grant)
//                  attached: register a duplicate, keep your receive handle
//     reply: w0 = Status (kOk, kBusy if another server has the name,
//            kNoSlots if the table is full, kInvalidArgument)
//   kLookup        w0..w3 = name
//     reply: w0 = Status (kOk, or kNotFound if not registered yet: retry); an
//            endpoint handle (write, grant) attached on success
//   kGetArguments  no words
//     reply: w0 = Status (kOk), w1 = length (0..kMaxArgumentsLength), then the
//            bytes of the manifest's args= value, 8 per word, little-endian
//            (words 4 and up travel in the IPC buffer)
//
// Replies that fail attach nothing. init answers every request; a malformed
// one (wrong word count, bad name, unknown label) gets kInvalidArgument and
// init keeps serving.
#pragma once

#include <stdint.h>

namespace bm::ipc {

enum BootstrapLabel : uint32_t {
  kGetGrant = 1,
  kRegister = 2,
  kLookup = 3,
  kGetArguments = 4,
};

// The longest args= value a manifest line may carry (lib/manifest), and the
// reply that carries it.
constexpr uint32_t kMaxArgumentsLength = 127;
constexpr uint32_t kMaxArgumentsReplyWords = 2 + (kMaxArgumentsLength + 7) / 8;

enum class GrantKind : uint64_t {
  kIoPorts = 1,       // w2 = first port, w3 = count
  kIrq = 2,           // w2 = line
  kDeviceMemory = 3,  // w2 = physical address, w3 = bytes
  kModule = 4,        // w2 = bytes of the image; a memory handle for task_create
  kMemoryPool = 5,    // w2 = pages; fresh zeroed memory (read, write, map, grant): memd's pool
};

}  // namespace bm::ipc
