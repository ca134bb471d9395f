// Parsing the keys of a `server` line. Each key is checked in full (syntax, then limits),
// left to right, so the first problem on the line is the one reported.
#include "lib/manifest/server_line.h"

namespace bm::manifest {
namespace {

// The next blank-separated word at or after *position, or an empty Text at the end.
Text next_word(Text line, size_t* position) {
  size_t i = *position;
  while (i < line.size && is_blank(line.data[i])) ++i;
  size_t start = i;
  while (i < line.size && !is_blank(line.data[i])) ++i;
  *position = i;
  return {line.data + start, i - start};
}

// Calls item(piece) for each comma-separated piece of a non-empty value; an empty piece
// ("a,,b", "a,") is malformed. Stops at the first problem.
template <typename Item>
Problem for_each_item(Text value, Item item) {
  Text rest = value;
  bool more = true;
  while (more) {
    Text piece = split(rest, ',', &rest, &more);
    if (piece.empty()) return malformed("empty item in a list");
    Problem problem = item(piece);
    if (!problem.ok()) return problem;
  }
  return kFine;
}

Problem parse_priority(Text value, Server* out) {
  uint32_t priority = 0;
  Problem problem = parse_number(value, kMaxPriority, "priority above 15", &priority);
  if (problem.ok()) out->priority = static_cast<uint8_t>(priority);
  return problem;
}

Problem parse_port_range(Text piece, Server* out) {
  if (out->port_count == kMaxPortRanges) return out_of_range("more than 8 port ranges");
  bool found = false;
  Text count_text{};
  Text first_text = split(piece, ':', &count_text, &found);
  if (!found) return malformed("port range is not FIRST:COUNT");
  uint32_t first = 0;
  uint32_t count = 0;
  Problem problem = parse_number(first_text, kPortSpace - 1, "port above 65535", &first);
  if (!problem.ok()) return problem;
  problem = parse_number(count_text, kPortSpace, "port range beyond 65535", &count);
  if (!problem.ok()) return problem;
  if (count == 0) return out_of_range("port range of 0 ports");
  if (count > kPortSpace - first) return out_of_range("port range beyond 65535");
  for (size_t i = 0; i < out->port_count; ++i) {
    const PortRange& other = out->ports[i];
    if (first < other.first + other.count && other.first < first + count) {
      return malformed("overlapping port ranges");
    }
  }
  out->ports[out->port_count++] = {first, count};
  return kFine;
}

Problem parse_irq(Text piece, Server* out) {
  if (out->irq_count == kMaxIrqs) return out_of_range("more than 4 irqs");
  uint32_t line = 0;
  Problem problem = parse_number(piece, kMaxIrqLine, "irq above 15", &line);
  if (!problem.ok()) return problem;
  if (line == 0) return out_of_range("irq 0 is the kernel's timer");
  if (line == 2) return out_of_range("irq 2 is the 8259 cascade");
  for (size_t i = 0; i < out->irq_count; ++i) {
    if (out->irqs[i] == line) return malformed("duplicate irq");
  }
  out->irqs[out->irq_count++] = static_cast<uint8_t>(line);
  return kFine;
}

Problem parse_memory(Text piece, Server* out) {
  bool* wanted = equals(piece, "vga")           ? &out->vga_memory
                 : equals(piece, "framebuffer") ? &out->framebuffer_memory
                                                : nullptr;
  if (wanted == nullptr) return out_of_range("unknown device memory (vga or framebuffer)");
  if (*wanted) return malformed("duplicate device memory");
  *wanted = true;
  return kFine;
}

bool same_name(const char (&a)[kNameLength], const char (&b)[kNameLength]) {
  for (size_t i = 0; i < kNameLength; ++i) {
    if (a[i] != b[i]) return false;
  }
  return true;
}

Problem parse_module(Text piece, Server* out) {
  if (out->module_count == kMaxModules) return out_of_range("more than 4 modules");
  char(&slot)[kNameLength] = out->modules[out->module_count];
  Problem problem = parse_name(piece, slot);
  if (!problem.ok()) return problem;
  for (size_t i = 0; i < out->module_count; ++i) {
    if (same_name(out->modules[i], slot)) return malformed("duplicate module");
  }
  ++out->module_count;
  return kFine;
}

Problem parse_yes_no(Text value, bool* out, const char* neither) {
  if (equals(value, "yes")) {
    *out = true;
  } else if (equals(value, "no")) {
    *out = false;
  } else {
    return out_of_range(neither);
  }
  return kFine;
}

Problem parse_restart(Text value, Server* out) {
  return parse_yes_no(value, &out->restart, "restart is neither yes nor no");
}
Problem parse_pool(Text value, Server* out) {
  uint32_t pages = 0;
  Problem problem = parse_number(value, kMaxPoolPages, "pool above 65536 pages", &pages);
  if (!problem.ok()) return problem;
  if (pages == 0) return out_of_range("pool of 0 pages");
  out->pool_pages = pages;
  return kFine;
}

Problem parse_frames(Text value, Server* out) {
  uint32_t frames = 0;
  Problem problem = parse_number(value, kMaxFrameLimit, "frames above 1048576", &frames);
  if (!problem.ok()) return problem;
  // The program image and one stack alone take more than this.
  if (frames < kMinFrameLimit) return out_of_range("frames below 32");
  out->frame_limit = frames;
  return kFine;
}

Problem parse_heartbeat(Text value, Server* out) {
  return parse_number(value, kMaxHeartbeatMs, "heartbeat above 60000 ms", &out->heartbeat_ms);
}

Problem parse_control(Text value, Server* out) {
  return parse_yes_no(value, &out->control, "control is neither yes nor no");
}

Problem parse_arguments(Text value, Server* out) {
  if (value.size > kMaxArgumentsLength) return out_of_range("args longer than 127 bytes");
  for (size_t i = 0; i < value.size; ++i) out->arguments[i] = value.data[i];
  out->arguments[value.size] = '\0';
  out->arguments_length = value.size;
  return kFine;
}

Problem parse_ports(Text value, Server* out) {
  return for_each_item(value, [out](Text piece) { return parse_port_range(piece, out); });
}
Problem parse_irqs(Text value, Server* out) {
  return for_each_item(value, [out](Text piece) { return parse_irq(piece, out); });
}
Problem parse_memories(Text value, Server* out) {
  return for_each_item(value, [out](Text piece) { return parse_memory(piece, out); });
}
Problem parse_modules(Text value, Server* out) {
  return for_each_item(value, [out](Text piece) { return parse_module(piece, out); });
}

// Every key, once: its name and the parser for its value. The index is its bit in `seen`.
struct Key {
  const char* name;
  Problem (*parse)(Text value, Server* out);
};
constexpr Key kKeys[] = {
    {"priority", parse_priority},   {"ports", parse_ports},     {"irqs", parse_irqs},
    {"memory", parse_memories},     {"modules", parse_modules}, {"restart", parse_restart},
    {"args", parse_arguments},      {"control", parse_control}, {"pool", parse_pool},
    {"heartbeat", parse_heartbeat}, {"frames", parse_frames},
};

Problem parse_key(Text word, uint32_t* seen, Server* out) {
  bool has_value = false;
  Text value{};
  Text name = split(word, '=', &value, &has_value);
  if (!has_value) return malformed("key without '='");
  for (uint32_t k = 0; k < sizeof(kKeys) / sizeof(kKeys[0]); ++k) {
    if (!equals(name, kKeys[k].name)) continue;
    if ((*seen & (1u << k)) != 0) return malformed("duplicate key");
    *seen |= 1u << k;
    if (value.empty()) return malformed("empty value");
    return kKeys[k].parse(value, out);
  }
  return malformed("unknown key");
}

void set_defaults(Server* out) {
  for (size_t i = 0; i < kNameLength; ++i) out->module[i] = '\0';
  out->priority = kDefaultPriority;
  for (size_t i = 0; i < kMaxPortRanges; ++i) out->ports[i] = {0, 0};
  out->port_count = 0;
  for (size_t i = 0; i < kMaxIrqs; ++i) out->irqs[i] = 0;
  out->irq_count = 0;
  out->vga_memory = false;
  out->framebuffer_memory = false;
  for (size_t m = 0; m < kMaxModules; ++m) {
    for (size_t i = 0; i < kNameLength; ++i) out->modules[m][i] = '\0';
  }
  out->module_count = 0;
  out->restart = false;
  out->control = false;
  out->pool_pages = 0;
  out->frame_limit = kDefaultFrameLimit;
  out->heartbeat_ms = 0;
  for (char& c : out->arguments) c = '\0';
  out->arguments_length = 0;
}

}  // namespace

Problem parse_server_line(Text arguments, Server* out) {
  set_defaults(out);
  size_t position = 0;
  Text module = next_word(arguments, &position);
  if (module.empty()) return malformed("server without a module name");
  Problem problem = parse_name(module, out->module);
  if (!problem.ok()) return problem;
  uint32_t seen = 0;
  for (Text word = next_word(arguments, &position); !word.empty();
       word = next_word(arguments, &position)) {
    problem = parse_key(word, &seen, out);
    if (!problem.ok()) return problem;
  }
  return kFine;
}

}  // namespace bm::manifest
