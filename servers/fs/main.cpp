// fs: the file server. One namespace with two mounts: /boot, read only, from the initrd boot
// module its manifest line grants (modules=initrd: a ustar archive tools/make_initrd.py
// writes), and /tmp, in memory, up to the tmp_bytes= argument. It registers "fs" and answers
// the file protocol (ipc/fs.h) through FsService (servers/fs/fs_service.h), which keeps each
// client's open files by the badge its calls carry.
//
// Three kinds of caller reach its endpoint, told apart by badge (as memd's):
//   0                  init: introducing a client (ipc/client_admin.h) or its heartbeat;
//   kClientsGoneBadge  fs's own watcher thread: clients whose task ended;
//   anything else      a client (its badge is init's id for it): the file protocol.
#include "ipc/client_admin.h"
#include "ipc/fs.h"
#include "ipc/heartbeat.h"
#include "ipc/kernel_status.h"
#include "lib/core/placement_new.h"
#include "servers/fs/client_slots.h"
#include "servers/fs/fs_service.h"
#include "user/heap.h"
#include "user/ipc.h"
#include "user/print.h"
#include "user/services.h"
#include "user/thread.h"

namespace {

using bm::abi::Status;
using bm::ipc::ProtocolStatus;
using user::Handle;
namespace client_admin = bm::ipc::client_admin;

constexpr uint64_t kClientsGoneBadge = ~0ull;
constexpr uint32_t kClientsGoneLabel = bm::ipc::kFsLabelBase + 0xf2;  // w0: bit i: slot i ended

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

Handle endpoint = 0;
Handle clients_gone = 0;  // notification: bit i when the client in slot i ends
bm::fs::ClientSlots clients;

// Waits for client tasks to end and tells the service thread, in order with its requests
// (FsService is single-threaded).
void watcher_thread(uint64_t gone_endpoint) {
  for (;;) {
    auto ended = user::notification_wait(clients_gone, bm::abi::kWaitForever);
    if (!ended.ok()) return;
    user::Message message;
    message.label = kClientsGoneLabel;
    message.words = 1;
    message.word[0] = *ended;
    (void)user::send(static_cast<Handle>(gone_endpoint), message);
  }
}

// init's add_client: a slot for the id, the task watched, a badged endpoint back. kBusy while
// the id is still a client (a restarted client whose old task fs has not seen end yet).
client_admin::AddClientReply add_client(const client_admin::AddClientRequest& add) {
  size_t slot = 0;
  ProtocolStatus status = add.client_id == kClientsGoneBadge
                              ? ProtocolStatus::kBadValue
                              : clients.find_free(add.client_id, &slot);
  // The badged handle first: once the watch is set nothing may fail, or the slot's bit could
  // later end whichever client takes the slot next.
  user::OwnedHandle badged;
  if (status == ProtocolStatus::kOk) {
    auto copy = user::handle_duplicate(endpoint, bm::abi::kRightWrite | bm::abi::kRightGrant,
                                       add.client_id);
    status = bm::ipc::from_kernel(copy.error());
    if (copy.ok()) badged = bm::move(*copy);
  }
  if (status == ProtocolStatus::kOk) {
    status = bm::ipc::from_kernel(user::task_watch(add.task, clients_gone, slot).error());
  }
  // Watching needs the task handle only until the watch is set: fs never touches the task.
  (void)user::handle_close(add.task);
  if (status != ProtocolStatus::kOk) return {status, 0};
  clients.take(slot, add.client_id);
  return {ProtocolStatus::kOk, badged.release()};
}

// Files of clients whose task ended are closed (a removed file's data goes with its last).
void clients_ended(uint64_t bits) {
  clients.release_ended(bits, [](uint64_t id) {
    uint32_t open = service->open_files(id);
    service->client_ended(id);
    user::printf("fs: client %lu ended: %u open file(s) closed\n", id, open);
  });
}

// One call: init's introduction or heartbeat, or a client's file request.
void answer(const user::Message& message, bm::ipc::WireMessage* request,
            bm::ipc::WireMessage* reply) {
  if (!user::load_message(message, request)) {
    if (message.has_handle) (void)user::handle_close(message.handle);
    bm::ipc::encode_status_reply(message.label, ProtocolStatus::kTooLong, reply);
    return;
  }
  if (message.badge == 0 && request->label == client_admin::kAddClient) {
    client_admin::AddClientRequest add;
    client_admin::AddClientReply answer{ProtocolStatus::kBadValue, 0};
    if (client_admin::decode(*request, &add) == ProtocolStatus::kOk) {
      answer = add_client(add);
    } else if (request->has_handle) {
      (void)user::handle_close(request->handle);
    }
    if (!client_admin::encode(answer, reply)) {
      bm::ipc::encode_status_reply(request->label, ProtocolStatus::kBadValue, reply);
    }
    return;
  }
  if (request->has_handle) (void)user::handle_close(request->handle);  // the protocol has none
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

[[noreturn]] void serve() {
  static bm::ipc::WireMessage request;
  static bm::ipc::WireMessage reply;
  user::Message message;
  Status status = user::receive(endpoint, &message);
  for (;;) {
    if (status != Status::kOk) {
      status = user::receive(endpoint, &message);
      continue;
    }
    if (message.badge == kClientsGoneBadge) {
      if (message.label == kClientsGoneLabel) clients_ended(message.word[0]);
      status = user::receive(endpoint, &message);  // a send: nobody waits for a reply
      continue;
    }
    answer(message, &request, &reply);
    user::Message out;
    user::store_message(reply, &out);
    status = user::answer_and_receive(endpoint, out, &message);
  }
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
  // fs's endpoint and notification last as long as fs.
  auto created = user::endpoint_create();
  auto gone = user::notification_create();
  if (!created.ok() || !gone.ok()) return 1;
  endpoint = created->release();
  clients_gone = gone->release();
  auto watcher_endpoint = user::handle_duplicate(endpoint, bm::abi::kRightWrite, kClientsGoneBadge);
  if (!watcher_endpoint.ok() || user::start_thread(watcher_thread, watcher_endpoint->release(),
                                                   user::current_priority()) != Status::kOk) {
    user::printf("fs: cannot start the watcher thread\n");
    return 1;
  }
  ProtocolStatus registered = user::register_service(bootstrap, "fs", endpoint);
  if (registered != ProtocolStatus::kOk) {
    user::printf("fs: cannot register: %s\n", bm::ipc::protocol_status_text(registered));
    return 1;
  }
  user::printf("fs: /boot from the initrd, /tmp up to %lu bytes\n", service->tmp().byte_limit());
  serve();
}
