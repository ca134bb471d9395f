// The fuzzer's random numbers: SplitMix64 (a 64-bit counter through a
// mixing function), so one seed replays the same sequence on every run.
#pragma once

#include <stdint.h>

namespace fuzz {

class Prng {
 public:
  explicit Prng(uint64_t seed) : state_(seed) {}

  uint64_t next() {
    state_ += 0x9e3779b97f4a7c15ull;
    uint64_t z = state_;
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
    return z ^ (z >> 31);
  }
  // 0 .. bound-1 (bound > 0). The modulo bias is irrelevant for fuzzing.
  uint64_t below(uint64_t bound) { return next() % bound; }
  // True with probability 1 / n.
  bool one_in(uint64_t n) { return below(n) == 0; }

 private:
  uint64_t state_;
};

}  // namespace fuzz
