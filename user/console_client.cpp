// Console protocol client: the write loop of console_write_all.h over call_service, which
// follows the console to a restarted server.
#include "user/console_client.h"

#include "user/console_write_all.h"
#include "user/protocol_client.h"

namespace user {
namespace {
bm::ipc::WireMessage request;
bm::ipc::WireMessage reply;
}  // namespace

ProtocolStatus console_write(bm::ipc::ServiceConnection* console, const char* text, size_t length) {
  return console_write_all(text, length, &request, &reply,
                           [console](const bm::ipc::WireMessage& out, bm::ipc::WireMessage* in) {
                             return call_service(console, out, in);
                           });
}

}  // namespace user
