// fs: the file server. One namespace with two mounts: /boot, read only, from the initrd boot
// module its manifest line grants (modules=initrd: a ustar archive tools/make_initrd.py
// writes), and /tmp, in memory, up to the tmp_bytes= argument. It registers "fs" and answers
// the file protocol (ipc/fs.h) through FsService (servers/fs/fs_service.h), which keeps each
// client's open files by the badge its calls carry.
//
// Its clients are introduced by init and watched by user::ClientWatch (user/client_watch.h),
// which reports each client that ends; fs then closes its files. Apart from the introduction,
// init (badge 0) sends heartbeats; every other caller is a client speaking the file protocol.
#include "ipc/fs.h"
#include "ipc/heartbeat.h"
#include "lib/core/placement_new.h"
#include "servers/fs/fs_service.h"
#include "user/client_watch.h"
#include "user/heap.h"
#include "user/ipc.h"
#include "user/print.h"
#include "user/services.h"

namespace {

using bm::ipc::ProtocolStatus;
using user::Handle;

// Where the initrd is mapped in this server, read only (clear of the heap, memd's and the
// drivers' views: user/local_heap.cpp, servers/vga/main.cpp).
constexpr uint64_t kInitrdAddress = 0x0000'5000'0000'0000;
// /tmp's size when the manifest line gives none (tmp_bytes=).
constexpr uint64_t kDefaultTmpBytes = 1024 * 1024;

// /tmp's memory: the runtime heap (blocks from memd).
class HeapMemory final : public bm::fs::FsMemory {
 public:
  void* allocate(size_t bytes) override { return user::aligned_alloc(16, bytes); }
  void release(void* block, size_t) override { user::free(block); }
};

HeapMemory heap_memory;
// The service lives as long as the server. Made in place rather than as a static local, whose
// destructor (Tmpfs frees /tmp) would need an atexit the freestanding runtime has not got.
alignas(bm::fs::FsService) unsigned char service_storage[sizeof(bm::fs::FsService)];
bm::fs::FsService* service = nullptr;

// args: tmp_bytes=N (decimal). False for a word it does not know or a bad number.
bool parse_tmp_bytes(const char* arguments, uint64_t* bytes) {
  bool ok = true;
  user::for_each_argument(arguments, [&](const char* word, size_t length) {
    size_t value_length = 0;
    const char* value = user::argument_value(word, length, "tmp_bytes=", &value_length);
    if (value == nullptr || value_length == 0 || value_length > 12) {
      ok = false;
      return;
    }
    uint64_t parsed = 0;
    for (size_t i = 0; i < value_length; ++i) {
      if (value[i] < '0' || value[i] > '9') {
        ok = false;
        return;
      }
      parsed = parsed * 10 + static_cast<uint64_t>(value[i] - '0');
    }
    *bytes = parsed;
  });
  return ok;
}

// Maps the initrd grant and mounts it at /boot; logs what it found or why not. Without an
// initrd fs still serves /tmp: an empty /boot is better than no files at all.
void mount_initrd(Handle bootstrap) {
  for (uint64_t index = 0;; ++index) {
    user::Grant grant;
    if (user::get_grant(bootstrap, index, &grant) != ProtocolStatus::kOk) break;
    if (grant.kind != bm::ipc::GrantKind::kModule) {
      (void)user::handle_close(grant.handle);
      continue;
    }
    if (!user::memory_map(bm::abi::kOwnAddressSpace, grant.handle, kInitrdAddress, 0).ok()) {
      user::printf("fs: cannot map the initrd: /boot is empty\n");
      return;
    }
    uint64_t failed_offset = 0;
    auto error = service->mount_boot(reinterpret_cast<const uint8_t*>(kInitrdAddress), grant.detail,
                                     &failed_offset);
    if (error != bm::fs::UstarError::kOk) {
      user::printf("fs: initrd refused at byte %lu: %s; /boot is empty\n", failed_offset,
                   bm::fs::ustar_error_text(error));
    }
    return;
  }
  user::printf("fs: no initrd granted: /boot is empty\n");
}

// The file server's side of its clients: FsService keeps their files.
class FileClients final : public user::ClientKeeper {
 public:
  // fs needs nothing of the task: ClientWatch watches it.
  ProtocolStatus admit(uint64_t, Handle) override { return ProtocolStatus::kOk; }

  // Files of clients whose task ended are closed (a removed file's data goes with its last).
  void dismiss(uint64_t id) override {
    uint32_t open = service->open_files(id);
    service->client_ended(id);
    user::printf("fs: client %lu ended: %u open file(s) closed\n", id, open);
  }

};

FileClients file_clients;
user::ClientWatch clients(file_clients);

// init's heartbeat, or a client's file request.
void answer(const user::Message& message, bm::ipc::WireMessage* request,
            bm::ipc::WireMessage* reply) {
  if (message.has_handle) (void)user::handle_close(message.handle);  // the protocol has none
  if (!user::load_message(message, request)) {
    bm::ipc::encode_status_reply(message.label, ProtocolStatus::kTooLong, reply);
    return;
  }
  request->has_handle = false;
  if (request->label == bm::ipc::heartbeat::kHeartbeat) {
    // init asks whether this loop still turns: it does, since it got here.
    bm::ipc::heartbeat::HeartbeatRequest heartbeat;
    bm::ipc::encode_status_reply(request->label, bm::ipc::heartbeat::decode(*request, &heartbeat),
                                 reply);
    return;
  }
  service->serve(message.badge, *request, reply);
  reply->has_handle = false;
}

void serve_request(const user::Message& message, user::Message* out) {
  static bm::ipc::WireMessage request;
  static bm::ipc::WireMessage reply;
  answer(message, &request, &reply);
  user::store_message(reply, out);
}

}  // namespace

int main(uint64_t bootstrap_word) {
  Handle bootstrap = static_cast<Handle>(bootstrap_word);
  char arguments[bm::ipc::kMaxArgumentsLength + 1] = {};
  (void)user::get_arguments(bootstrap, arguments, sizeof arguments);
  uint64_t tmp_bytes = kDefaultTmpBytes;
  if (!parse_tmp_bytes(arguments, &tmp_bytes)) {
    user::printf("fs: bad args \"%s\" (want tmp_bytes=N)\n", arguments);
    return 1;
  }
  service = new (service_storage) bm::fs::FsService(heap_memory, tmp_bytes);
  mount_initrd(bootstrap);
  if (!clients.start()) {
    user::printf("fs: cannot make its endpoint and watcher thread\n");
    return 1;
  }
  ProtocolStatus registered = user::register_service(bootstrap, "fs", clients.endpoint());
  if (registered != ProtocolStatus::kOk) {
    user::printf("fs: cannot register: %s\n", bm::ipc::protocol_status_text(registered));
    return 1;
  }
  user::printf("fs: /boot from the initrd, /tmp up to %lu bytes\n", service->tmp().byte_limit());
  clients.serve(serve_request);
}
