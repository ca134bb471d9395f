// ClientWatch: init's add_client and the watcher thread of a service with per-client state
// (user/client_watch.h; its serve loop is in the header).
#include "user/client_watch.h"

#include "ipc/kernel_status.h"
#include "user/syscalls.h"
#include "user/thread.h"

namespace user {

namespace client_admin = bm::ipc::client_admin;
using bm::abi::Status;
using bm::ipc::ProtocolStatus;

bool ClientWatch::start() {
  auto created = endpoint_create();
  auto ended = notification_create();
  if (!created.ok() || !ended.ok()) return false;
  auto watcher = handle_duplicate(created->get(), bm::abi::kRightWrite, kClientsEndedBadge);
  if (!watcher.ok()) return false;
  endpoint_ = created->release();
  ended_ = ended->release();
  watcher_endpoint_ = watcher->release();
  return start_thread(watcher_thread, reinterpret_cast<uint64_t>(this), current_priority()) ==
         Status::kOk;
}

// Waits for client tasks to end and tells the service thread, in order with its requests
// (the keeper is single-threaded).
void ClientWatch::watcher_thread(uint64_t self) {
  auto* watch = reinterpret_cast<ClientWatch*>(self);
  for (;;) {
    auto ended = notification_wait(watch->ended_, bm::abi::kWaitForever);
    if (!ended.ok()) return;
    Message message;
    message.label = kClientsEndedLabel;
    message.words = 1;
    message.word[0] = *ended;
    (void)send(watch->watcher_endpoint_, message);
  }
}

// A slot for the id, the keeper's consent, the task watched, a badged endpoint back. kBusy
// while the id is still a client (a restarted client whose old task has not been seen to end).
client_admin::AddClientReply ClientWatch::add_client(const client_admin::AddClientRequest& add) {
  size_t slot = 0;
  ProtocolStatus status = add.client_id == kClientsEndedBadge
                              ? ProtocolStatus::kBadValue
                              : slots_.find_free(add.client_id, &slot);
  // The badged handle first and the watch last: once the watch is set nothing may fail, or
  // the slot's bit could later end whichever client takes the slot next.
  OwnedHandle badged;
  if (status == ProtocolStatus::kOk) {
    auto copy = handle_duplicate(endpoint_, bm::abi::kRightWrite | bm::abi::kRightGrant,
                                 add.client_id);
    status = bm::ipc::from_kernel(copy.error());
    if (copy.ok()) badged = bm::move(*copy);
  }
  if (status == ProtocolStatus::kOk) {
    status = keeper_.admit(add.client_id, add.task);
    if (status == ProtocolStatus::kOk) {
      status = bm::ipc::from_kernel(task_watch(add.task, ended_, slot).error());
      if (status != ProtocolStatus::kOk) keeper_.dismiss(add.client_id);
    }
  }
  if (status != ProtocolStatus::kOk) {
    (void)handle_close(add.task);
    return {status, 0};
  }
  slots_.take(slot, add.client_id, add.task);
  return {ProtocolStatus::kOk, badged.release()};
}

// Decodes and answers add_client; a malformed one gets kBadValue (its handle closed).
void ClientWatch::answer_add_client(const Message& message, Message* reply) {
  static bm::ipc::WireMessage wire;
  client_admin::AddClientRequest add;
  client_admin::AddClientReply answer{ProtocolStatus::kBadValue, 0};
  if (load_message(message, &wire) && client_admin::decode(wire, &add) == ProtocolStatus::kOk) {
    answer = add_client(add);
  } else if (message.has_handle) {
    (void)handle_close(message.handle);
  }
  if (!client_admin::encode(answer, &wire)) {
    bm::ipc::encode_status_reply(message.label, ProtocolStatus::kBadValue, &wire);
  }
  store_message(wire, reply);
}

// The keeper forgets each ended client before its task handle goes.
void ClientWatch::clients_ended(uint64_t bits) {
  slots_.release_ended(bits, [&](uint64_t id, Handle task) {
    keeper_.dismiss(id);
    (void)handle_close(task);
  });
}

}  // namespace user
