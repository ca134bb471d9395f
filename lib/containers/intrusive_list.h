// IntrusiveList: a doubly linked list threaded through a ListNode inside each item, so the
// kernel can queue threads (run queues, timer and IPC wait queues) without allocating.
#pragma once

#include <stddef.h>
#include <stdint.h>

namespace bm {

// Embed one ListNode per list an item may be on at the same time. A node is on at most one
// list; both pointers are null exactly when it is on none. Copying an item never copies its
// links: the copy starts unlinked, and assigning to a linked item leaves it where it is.
struct ListNode {
  ListNode* prev = nullptr;
  ListNode* next = nullptr;

  constexpr ListNode() = default;
  constexpr ListNode(const ListNode&) {}
  constexpr ListNode& operator=(const ListNode&) { return *this; }

  constexpr bool linked() const { return next != nullptr; }
};

// The list's ends are marked by its own `end_` node rather than by null, so a lone item still
// has non-null links (ListNode::linked() works for it) and an end marker is recognisable as
// the one node whose `next` is null. Items never see end_: the API speaks T* and nullptr.
//
// Caller contract (not checkable in O(1), so not checked): an item passed to remove(), next(),
// prev() or as insert_before()'s position is on THIS list. contains() does the O(n) check for
// tests and debug paths. What IS refused, by returning false and changing nothing: null items,
// linking an item that is already linked (it would corrupt the list it is on), and the
// mismatches that are cheap to see (an unlinked item, another list's first or last item).
//
// Not synchronised. Items must be unlinked before the list goes away: the destructor is
// trivial (a global list must not register a destructor) and does not unlink them.
template <typename T, ListNode T::*Member>
class IntrusiveList {
 public:
  // constexpr and no self-pointers: a global list is constant-initialised.
  constexpr IntrusiveList() = default;
  IntrusiveList(const IntrusiveList&) = delete;
  IntrusiveList& operator=(const IntrusiveList&) = delete;

  bool empty() const { return count_ == 0; }
  size_t size() const { return count_; }
  T* front() const { return head_; }
  T* back() const { return tail_; }

  // False (nothing changes) when item is null or already on a list.
  bool push_back(T* item) {
    if (!can_link(item)) return false;
    ListNode& node = item->*Member;
    node.prev = tail_ != nullptr ? &(tail_->*Member) : &end_;
    node.next = &end_;
    if (tail_ != nullptr) {
      (tail_->*Member).next = &node;
    } else {
      head_ = item;
    }
    tail_ = item;
    ++count_;
    return true;
  }

  bool push_front(T* item) {
    if (!can_link(item)) return false;
    ListNode& node = item->*Member;
    node.prev = &end_;
    node.next = head_ != nullptr ? &(head_->*Member) : &end_;
    if (head_ != nullptr) {
      (head_->*Member).prev = &node;
    } else {
      tail_ = item;
    }
    head_ = item;
    ++count_;
    return true;
  }

  // Links item just before position (which must be on this list). False when either is null,
  // item is already linked, or position is not linked.
  bool insert_before(T* position, T* item) {
    if (position == nullptr || !can_link(item)) return false;
    ListNode& at = position->*Member;
    if (!at.linked()) return false;
    if (position == head_) return push_front(item);
    if (is_end(at.prev)) return false;  // the first item of another list
    ListNode& node = item->*Member;
    node.prev = at.prev;
    node.next = &at;
    at.prev->next = &node;
    at.prev = &node;
    ++count_;
    return true;
  }

  // Unlinks the first item; nullptr when empty.
  // The head is on this list by construction, so none of remove()'s checks apply.
  // Always inlined: the IPC fast path takes a waiting server this way.
  [[gnu::always_inline]] T* pop_front() {
    T* item = head_;
    if (item == nullptr) return nullptr;
    ListNode& node = item->*Member;
    if (is_end(node.next)) {
      head_ = nullptr;
      tail_ = nullptr;
    } else {
      head_ = from_node(node.next, item);
      node.next->prev = node.prev;  // the new head points back at the end marker
    }
    node.prev = nullptr;
    node.next = nullptr;
    --count_;
    return item;
  }

  // O(1). Item must be on this list (see the class comment). False when item is null or
  // unlinked, or visibly on another list; then nothing changes.
  bool remove(T* item) {
    if (item == nullptr) return false;
    ListNode& node = item->*Member;
    if (!node.linked()) return false;
    const bool first = is_end(node.prev);
    const bool last = is_end(node.next);
    if ((first && item != head_) || (last && item != tail_)) return false;
    if (!first && !last && count_ < 3) return false;  // a middle item needs three or more
    if (first) {
      head_ = last ? nullptr : from_node(node.next, item);
    } else {
      node.prev->next = node.next;
    }
    if (last) {
      tail_ = first ? nullptr : from_node(node.prev, item);
    } else {
      node.next->prev = node.prev;
    }
    node.prev = nullptr;
    node.next = nullptr;
    --count_;
    return true;
  }

  // The item after / before item on this list; nullptr at the end or if item is unlinked.
  // Iterate with: for (T* t = list.front(); t != nullptr; t = list.next(t)).
  T* next(T* item) const {
    if (item == nullptr || !(item->*Member).linked()) return nullptr;
    ListNode* node = (item->*Member).next;
    return is_end(node) ? nullptr : from_node(node, item);
  }

  T* prev(T* item) const {
    if (item == nullptr || !(item->*Member).linked()) return nullptr;
    ListNode* node = (item->*Member).prev;
    return is_end(node) ? nullptr : from_node(node, item);
  }

  // O(n): whether item is on this list. For tests and debug checks.
  bool contains(const T* item) const {
    for (T* t = head_; t != nullptr; t = next(t)) {
      if (t == item) return true;
    }
    return false;
  }

 private:
  bool can_link(T* item) const { return item != nullptr && !(item->*Member).linked(); }

  // Only end markers (this list's end_ or another list's) have a null next.
  static bool is_end(const ListNode* node) { return node->next == nullptr; }

  // Recovers the item holding `node`. The member's offset is measured on a real item (`any`)
  // rather than on a fabricated pointer, which would be undefined behaviour; compilers fold
  // it to a constant.
  static T* from_node(ListNode* node, T* any) {
    const uintptr_t offset =
        reinterpret_cast<uintptr_t>(&(any->*Member)) - reinterpret_cast<uintptr_t>(any);
    return reinterpret_cast<T*>(reinterpret_cast<uintptr_t>(node) - offset);
  }

  // end_.prev/next stay null forever: that is what marks it as an end.
  ListNode end_;
  T* head_ = nullptr;
  T* tail_ = nullptr;
  size_t count_ = 0;
};

}  // namespace bm
