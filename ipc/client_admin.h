// The one message init sends a service that keeps per-client state (label 0x4f1): "this
// server is your client". It travels on the service's own registered endpoint, which only
// init holds (clients get badged handles from this very message), so a service answers it
// only when the badge is 0. memd (heaps) and fs (open files) answer it; kIntroducedServices
// lists them.
//
//   add_client   w0 = client id (init's badge for the server); the client's task handle
//                (read + manage) attached: the service watches it (task_watch), so it can
//                drop the client's state however the client ends; memd also maps the heap
//     reply: w0 = ProtocolStatus: kOk with the service's endpoint attached, badged with the
//            client id (write + grant, so init can pass copies to the client in its lookup
//            replies; whoever holds one acts as that client); kBusy if the id is already a
//            client; kNoSlots if the client table is full; kBadValue (no task handle, a wrong
//            word count, id 0)
//
// init calls it the first time a server looks up one of these names (docs/protocols.md,
// "Client introduction"), so only servers that use the service become its clients. Like the
// bootstrap protocol, w0 of the reply is a ProtocolStatus and messages carry handles; init and
// the services all use the codecs below.
#pragma once

#include <stddef.h>
#include <stdint.h>

#include "ipc/wire_codec.h"

namespace bm::ipc::client_admin {

using ipc::decode;  // the codecs of ipc/wire_codec.h
using ipc::encode;

// memd's range, where the message began; fs and any later service share it.
constexpr uint32_t kAddClient = kMemdLabelBase + 0xf1;
constexpr MessageSpec kAddClientSpec{kAddClient, "add_client", 1, 1, 1, 1, kMovesHandles};

// The services init introduces its servers to when they look the name up (and only these:
// every other name is looked up as it was registered).
constexpr const char* kIntroducedServices[] = {"memd", "fs"};
constexpr size_t kIntroducedServiceCount =
    sizeof(kIntroducedServices) / sizeof(kIntroducedServices[0]);

constexpr bool is_client_id(uint64_t id) { return id != 0; }

// A request with id 0 or without the task handle is a bad value.
struct AddClientRequest {
  uint64_t client_id = 0;  // never 0
  abi::Handle task = 0;    // the client's task (read + manage), moved to the service
  using Wire = Request<kAddClientSpec, Checked<&AddClientRequest::client_id, is_client_id>,
                       MovedHandle<&AddClientRequest::task>>;
};
struct AddClientReply {
  ProtocolStatus status = ProtocolStatus::kOk;
  abi::Handle endpoint = 0;  // kOk: the service's endpoint badged with the client id
  using Wire = Reply<kAddClientSpec, MovedHandle<&AddClientReply::endpoint>>;
};

}  // namespace bm::ipc::client_admin
