// Reply objects a server keeps calls in (user::reply_take), made once and reused, so keeping a
// blocking read and answering it later allocate nothing.
#pragma once

#include <stddef.h>

#include "user/syscalls.h"

namespace user {

template <size_t Capacity>
class ReplyPool {
 public:
  // Makes the objects; false if the kernel could not (out of handles or memory).
  bool create() {
    while (count_ < Capacity) {
      auto made = reply_create();
      if (!made.ok()) return false;
      free_[count_++] = made->release();
    }
    return true;
  }

  // Keeps the call this thread received last in a free object: its handle, or 0 when all
  // are holding calls or the kernel refused (the call is then still this thread's to answer).
  Handle keep_call() {
    if (count_ == 0) return 0;
    Handle reply = free_[count_ - 1];
    if (!reply_take(reply).ok()) return 0;
    --count_;
    return reply;
  }

  // `reply` was answered through answer_later / answer_deferred with `status`: kOk and
  // kPeerGone leave it empty for the next call; any other status closed it, so make another.
  void give_back(Handle reply, Status status) {
    if (status != Status::kOk && status != Status::kPeerGone) {
      auto made = reply_create();
      if (!made.ok()) return;  // one fewer call can be kept at once
      reply = made->release();
    }
    if (count_ < Capacity) free_[count_++] = reply;
  }

 private:
  Handle free_[Capacity] = {};
  size_t count_ = 0;
};

}  // namespace user
