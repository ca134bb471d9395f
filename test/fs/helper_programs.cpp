// Helper programs of the suite: started with init's programs protocol from the image the
// manifest line grants, kept waiting in reply objects while the suite looks at fs.
#include "test/fs/helper_programs.h"

#include "ipc/supervisor.h"
#include "lib/fmt/string.h"
#include "test/fs/control.h"
#include "user/program_client.h"
#include "user/supervisor_client.h"
#include "user/syscalls.h"

namespace fs_tests {

uint64_t start_helper(const char* arguments) {
  Environment& env = environment();
  auto image = user::handle_duplicate(
      env.helper_image, bm::abi::kRightRead | bm::abi::kRightMap | bm::abi::kRightGrant);
  if (!image.ok()) return 0;
  uint64_t program = 0;
  ProtocolStatus status =
      user::run_program(env.bootstrap, image->release(), env.helper_image_bytes, "fs_helper",
                        arguments, bm::string_length(arguments), &program);
  return status == ProtocolStatus::kOk ? program : 0;
}

bool await_ready(uint64_t milliseconds, ReadyCall* out) {
  *out = ReadyCall{};
  user::Message message;
  if (user::receive(environment().control, &message, ticks_for_ms(milliseconds)) !=
      bm::abi::Status::kOk) {
    return false;
  }
  if (message.has_handle) (void)user::handle_close(message.handle);
  // Kept in a reply object of its own, so the suite can receive the next helper's call.
  auto reply = user::reply_create();
  if (!reply.ok() || !user::reply_take(reply->get()).ok()) return false;  // a failed case
  // Anything but a ready call is refused: closing the object tells the caller kPeerGone.
  if (message.label != kReadyLabel || message.words != 4) return false;
  out->reply = reply->release();
  out->number = message.word[0];
  out->failures = message.word[1];
  out->first_fd = message.word[2];
  out->second_fd = message.word[3];
  return true;
}

void let_go(ReadyCall* call) {
  if (call->reply == 0) return;
  user::Message go;
  go.label = kGoLabel;
  (void)user::answer_deferred(call->reply, go);
  drop(call);
}

void drop(ReadyCall* call) {
  if (call->reply != 0) (void)user::handle_close(call->reply);
  call->reply = 0;
}

bool wait_helper(uint64_t program, bm::ipc::WaitProgramReply* out) {
  return user::wait_program(environment().bootstrap, program, out) == ProtocolStatus::kOk;
}

uint32_t fs_task_id() {
  for (uint64_t index = 0;; ++index) {
    bm::ipc::ServerEntry entry;
    if (user::list_server(environment().bootstrap, index, &entry) != ProtocolStatus::kOk) return 0;
    if (bm::string_equal(entry.module, "fs")) return entry.task_id;
  }
}

}  // namespace fs_tests
