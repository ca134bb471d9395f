// The shell's file commands (ls, cat, write, mkdir, rm, mv, cd, pwd): each resolves its paths
// against the shell's working directory (lib/fs/path.h) and asks the file server (ipc/fs.h,
// user/fs_client.h). builtins.cpp lists them in the command table.
#pragma once

#include "servers/shell/command_line.h"

namespace shell {

void command_ls(const bm::shell::Invocation& invocation);
void command_cat(const bm::shell::Invocation& invocation);
void command_write(const bm::shell::Invocation& invocation);
void command_mkdir(const bm::shell::Invocation& invocation);
void command_rm(const bm::shell::Invocation& invocation);
void command_mv(const bm::shell::Invocation& invocation);
void command_cd(const bm::shell::Invocation& invocation);
void command_pwd(const bm::shell::Invocation& invocation);

}  // namespace shell
