// The one message init sends memd: "this server is your client". It travels on memd's own
// registered endpoint, which only init holds (clients get badged handles from this very
// message), so memd answers it only when the badge is 0.
//
//   kAddClient   w0 = client id (init's badge for the server); the client's task handle
//                (read + manage) attached: memd maps the client's heap with it and watches it,
//                so it can reclaim the heap however the client ends
//     reply: w0 = Status: kOk with memd's endpoint attached, badged with the client id (write
//            + grant, so init can pass copies to the client in its lookup replies; whoever
//            holds one acts as that client); kBusy if the id is already a client;
//            kNoSlots if memd's client table is full; kInvalidArgument (no task handle, a
//            wrong word count, id 0)
//
// init calls it the first time a server looks up "memd" (docs/protocols.md, memd), so only
// servers that allocate become clients.
#pragma once

#include <stdint.h>

namespace bm::ipc::memd_admin {

constexpr uint32_t kAddClient = 0x4f1;
constexpr uint32_t kAddClientWords = 1;

// The service name memd registers, and the one clients look up.
constexpr const char* kServiceName = "memd";

}  // namespace bm::ipc::memd_admin
