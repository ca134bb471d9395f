// The runtime's side of client introduction (ipc/client_admin.h) for a service that keeps state
// per client, as memd (heaps) and fs (open files) do: it answers init's add_client with an
// endpoint badged for the client, watches the client's task, and tells the service when a
// client ends, however it ends (exit, fault, kill), in order with its requests on one thread.
//
// Three kinds of caller reach the service's endpoint, told apart by badge:
//   0                  init: add_client is answered here; anything else (a heartbeat) goes
//                      to the service's request handler;
//   kClientsEndedBadge the watcher thread: clients whose task ended, reported to the keeper;
//   anything else      a client (its badge is init's id for it): the request handler.
#pragma once

#include <stddef.h>
#include <stdint.h>

#include "ipc/client_admin.h"
#include "user/client_slots.h"
#include "user/ipc.h"

namespace user {

// What a service does when clients come and go; the rest is ClientWatch's.
class ClientKeeper {
 public:
  // init introduces client `id`, whose task handle is `task`: kOk if the service takes it,
  // or why not (kNoSlots for a full table of its own). `task` is lent: it stays valid until
  // the service has seen the client dismissed, then ClientWatch closes it.
  virtual bm::ipc::ProtocolStatus admit(uint64_t id, Handle task) = 0;
  // Client `id` is gone: its task ended, or its introduction failed after admit.
  virtual void dismiss(uint64_t id) = 0;

 protected:
  ~ClientKeeper() = default;
};

class ClientWatch {
 public:
  // The badge of the watcher thread's messages; no client id is ever this.
  static constexpr uint64_t kClientsEndedBadge = ~0ull;
  // The watcher's message: w0 has bit i set when the client in slot i ended.
  static constexpr uint32_t kClientsEndedLabel = bm::ipc::client_admin::kAddClient + 1;

  explicit ClientWatch(ClientKeeper& keeper) : keeper_(keeper) {}

  // Makes the service's endpoint and the notification its clients' tasks signal, and starts
  // the watcher thread at this thread's priority. False if any of it fails.
  bool start();
  // The endpoint to register (as a write + grant duplicate) and to serve on; it lasts as long
  // as the service.
  Handle endpoint() const { return endpoint_; }

  // Receives on the endpoint and answers for ever: add_client and ended clients here, every
  // other request with serve_request(request, &reply), a client's (its badge is the id) or
  // init's (badge 0). The reply is sent as it is; a handle that came with the request is the
  // handler's to close. A template so the handler is called directly: memd's allocation path
  // is counted in instructions (tools/bench).
  template <typename RequestHandler>
  [[noreturn]] void serve(RequestHandler serve_request) {
    Message message;
    bm::abi::Status status = receive(endpoint_, &message);
    for (;;) {
      if (status != bm::abi::Status::kOk) {  // kNoCaller: the caller died before the reply
        status = receive(endpoint_, &message);
        continue;
      }
      if (message.badge == kClientsEndedBadge) {
        if (message.label == kClientsEndedLabel) clients_ended(message.word[0]);
        status = receive(endpoint_, &message);  // a send: nobody waits for a reply
        continue;
      }
      Message reply;
      if (message.badge == 0 && message.label == bm::ipc::client_admin::kAddClient) {
        answer_add_client(message, &reply);
      } else {
        serve_request(message, &reply);
      }
      status = answer_and_receive(endpoint_, reply, &message);
    }
  }

 private:
  static void watcher_thread(uint64_t self);
  void answer_add_client(const Message& message, Message* reply);
  bm::ipc::client_admin::AddClientReply add_client(
      const bm::ipc::client_admin::AddClientRequest& add);
  void clients_ended(uint64_t bits);

  ClientKeeper& keeper_;
  Handle endpoint_ = 0;
  Handle watcher_endpoint_ = 0;  // the endpoint, write only, badged kClientsEndedBadge
  Handle ended_ = 0;             // notification: bit i when the client in slot i ends
  ClientSlots slots_;
};

}  // namespace user
