// The shell's file commands (file_commands.h). Errors are one line: "COMMAND: PATH: REASON".
#include "servers/shell/file_commands.h"

#include "lib/fmt/string.h"
#include "lib/fs/path.h"
#include "servers/shell/command_output.h"
#include "user/fs_client.h"

namespace shell {

using bm::ipc::ProtocolStatus;
using bm::shell::Invocation;
using NodeType = bm::ipc::fs::NodeType;

void command_ls(const Invocation& invocation) {
  const char* word = invocation.argc > 1 ? invocation.argv[1] : ".";
  static bm::fs::Path path;
  if (!resolve(invocation, word, &path)) return;
  user::fs::FileInfo info;
  ProtocolStatus status = user::fs::stat(path.text, &info);
  if (status != ProtocolStatus::kOk) return fail(invocation, word, status);
  if (info.type == NodeType::kFile) {
    print(invocation.out, "%8lu  %s\n", info.size, word);
    return;
  }
  for (uint64_t index = 0;; ++index) {
    static user::fs::Entry entry;
    status = user::fs::read_directory(path.text, index, &entry);
    if (status != ProtocolStatus::kOk) return fail(invocation, word, status);
    if (entry.type == NodeType::kNone) return;
    if (entry.type == NodeType::kDirectory) {
      print(invocation.out, "%8s  %s/\n", "-", entry.name);
    } else {
      print(invocation.out, "%8lu  %s\n", entry.size, entry.name);
    }
  }
}

void command_cat(const Invocation& invocation) {
  for (size_t argument = 1; argument < invocation.argc; ++argument) {
    const char* word = invocation.argv[argument];
    static bm::fs::Path path;
    if (!resolve(invocation, word, &path)) continue;
    uint32_t fd = 0;
    ProtocolStatus status = user::fs::open(path.text, bm::ipc::fs::kOpenRead, &fd);
    if (status != ProtocolStatus::kOk) {
      fail(invocation, word, status);
      continue;
    }
    static char buffer[bm::ipc::fs::kMaxIoBytes];
    uint64_t offset = 0;
    char last = '\n';
    for (;;) {
      uint32_t got = 0;
      status = user::fs::read(fd, offset, buffer, sizeof(buffer), &got);
      if (status != ProtocolStatus::kOk) {
        fail(invocation, word, status);
        break;
      }
      if (got == 0) break;
      invocation.out.write(buffer, got);
      last = buffer[got - 1];
      offset += got;
    }
    if (last != '\n') invocation.out.write("\n");  // the prompt starts on a line of its own
    (void)user::fs::close(fd);
  }
}

// write PATH WORDS...: the words, joined by single spaces, and a newline become the file.
void command_write(const Invocation& invocation) {
  const char* word = invocation.argv[1];
  static bm::fs::Path path;
  if (!resolve(invocation, word, &path)) return;
  static char text[bm::shell::kMaxCommandLineLength + 2];
  size_t length = 0;
  for (size_t argument = 2; argument < invocation.argc; ++argument) {
    if (argument > 2) text[length++] = ' ';
    for (const char* c = invocation.argv[argument]; *c != '\0'; ++c) text[length++] = *c;
  }
  text[length++] = '\n';
  uint32_t fd = 0;
  ProtocolStatus status = user::fs::open(
      path.text, bm::ipc::fs::kOpenWrite | bm::ipc::fs::kOpenCreate | bm::ipc::fs::kOpenTruncate,
      &fd);
  if (status != ProtocolStatus::kOk) return fail(invocation, word, status);
  status = user::fs::write(fd, 0, text, length);
  if (status != ProtocolStatus::kOk) fail(invocation, word, status);
  (void)user::fs::close(fd);
}

void command_mkdir(const Invocation& invocation) {
  for (size_t argument = 1; argument < invocation.argc; ++argument) {
    static bm::fs::Path path;
    if (!resolve(invocation, invocation.argv[argument], &path)) continue;
    ProtocolStatus status = user::fs::make_directory(path.text);
    if (status != ProtocolStatus::kOk) fail(invocation, invocation.argv[argument], status);
  }
}

void command_rm(const Invocation& invocation) {
  for (size_t argument = 1; argument < invocation.argc; ++argument) {
    static bm::fs::Path path;
    if (!resolve(invocation, invocation.argv[argument], &path)) continue;
    ProtocolStatus status = user::fs::unlink(path.text);
    if (status != ProtocolStatus::kOk) fail(invocation, invocation.argv[argument], status);
  }
}

// mv FROM TO; TO may be a directory, which then receives FROM under its own name.
void command_mv(const Invocation& invocation) {
  static bm::fs::Path from;
  static bm::fs::Path to;
  if (!resolve(invocation, invocation.argv[1], &from)) return;
  if (!resolve(invocation, invocation.argv[2], &to)) return;
  user::fs::FileInfo info;
  if (user::fs::stat(to.text, &info) == ProtocolStatus::kOk && info.type == NodeType::kDirectory &&
      !from.is_root()) {
    const char* name = from.text + from.length;
    while (name[-1] != '/') --name;
    static bm::fs::Path inside;
    if (bm::fs::resolve_path(name, static_cast<uint32_t>(bm::string_length(name)), &to, &inside) ==
        bm::fs::FsError::kOk) {
      to = inside;
    }
  }
  ProtocolStatus status = user::fs::rename(from.text, to.text);
  if (status != ProtocolStatus::kOk) fail(invocation, invocation.argv[1], status);
}

void command_cd(const Invocation& invocation) {
  const char* word = invocation.argc > 1 ? invocation.argv[1] : "/";
  static bm::fs::Path path;
  if (!resolve(invocation, word, &path)) return;
  user::fs::FileInfo info;
  ProtocolStatus status = user::fs::stat(path.text, &info);
  if (status == ProtocolStatus::kOk && info.type != NodeType::kDirectory) {
    status = ProtocolStatus::kNotADirectory;
  }
  if (status != ProtocolStatus::kOk) return fail(invocation, word, status);
  state(invocation).cwd = path;
}

void command_pwd(const Invocation& invocation) {
  print(invocation.out, "%s\n", state(invocation).cwd.text);
}

}  // namespace shell
