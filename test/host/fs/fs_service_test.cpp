// Host tests for the file server's logic (servers/fs), driven through the protocol: every
// request is encoded with ipc/fs.h, carried by the in-process transport (registers and IPC
// buffer, as the kernel copies them), served with a client's badge, and its reply decoded,
// as the server's loop will do. Every error of the protocol, many clients, clients that end.
#include "servers/fs/fs_service.h"

#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <vector>

#include "ipc/fs.h"
#include "test/host/fs/checked_memory.h"
#include "test/host/fs/tar_builder.h"
#include "test/host/protocols/transport.h"

namespace bm::fs {
namespace {

using ipc::ProtocolStatus;
using ipc::WireMessage;
namespace protocol = ipc::fs;

constexpr uint64_t kTmpLimit = 64 * 1024;
constexpr uint64_t kRead = protocol::kOpenRead;
constexpr uint64_t kWrite = protocol::kOpenWrite;
constexpr uint64_t kCreate = protocol::kOpenWrite | protocol::kOpenCreate;

ipc::ByteView view(const std::string& text) {
  return {reinterpret_cast<const uint8_t*>(text.data()), static_cast<uint32_t>(text.size())};
}

testing::Bytes initrd() {
  testing::TarBuilder tar;
  tar.file("motd", "Welcome to BareMetal-OS\n");
  tar.directory("docs/");
  tar.file("docs/protocols.md", std::string(10000, 'p'));
  tar.directory("bin/");
  return tar.finish();
}

// One client of the service: each call encodes, travels to the service as a call from the
// client's badge, and decodes the reply.
class Client {
 public:
  Client(FsService& service, uint64_t badge)
      : endpoint_([&service, badge](const WireMessage& request, WireMessage* reply) {
          service.serve(badge, request, reply);
        }) {}

  template <typename Reply, typename Request>
  Reply call(const Request& request) {
    auto sent = std::make_unique<WireMessage>(ipc::testing::poisoned());
    auto answer = std::make_unique<WireMessage>();
    EXPECT_TRUE(ipc::encode(request, sent.get()));
    EXPECT_TRUE(endpoint_.call(*sent, answer.get()));
    Reply reply{};
    EXPECT_EQ(ipc::decode(*answer, &reply), ProtocolStatus::kOk);
    last_ = std::move(answer);  // replies that carry bytes point into it
    return reply;
  }

  protocol::OpenReply open(const std::string& path, uint64_t flags = kRead) {
    return call<protocol::OpenReply>(protocol::OpenRequest{flags, view(path)});
  }
  ProtocolStatus open_status(const std::string& path, uint64_t flags = kRead) {
    protocol::OpenReply reply = open(path, flags);
    if (reply.status == ProtocolStatus::kOk) close(reply.fd);
    return reply.status;
  }
  uint32_t open_ok(const std::string& path, uint64_t flags = kRead) {
    protocol::OpenReply reply = open(path, flags);
    EXPECT_EQ(reply.status, ProtocolStatus::kOk) << path;
    return reply.fd;
  }
  // The bytes, or "error: <status>".
  std::string read(uint32_t fd, uint64_t offset = 0, uint32_t max = protocol::kMaxIoBytes) {
    auto reply = call<protocol::ReadReply>(protocol::ReadRequest{fd, offset, max});
    if (reply.status != ProtocolStatus::kOk) {
      return std::string("error: ") + ipc::protocol_status_text(reply.status);
    }
    return std::string(reinterpret_cast<const char*>(reply.bytes.data), reply.bytes.length);
  }
  std::string read_all(const std::string& path) {
    uint32_t fd = open_ok(path);
    std::string all;
    for (;;) {
      std::string part = read(fd, all.size());
      if (part.empty() || part.rfind("error: ", 0) == 0) break;
      all += part;
    }
    close(fd);
    return all;
  }
  protocol::WriteReply write(uint32_t fd, uint64_t offset, const std::string& bytes) {
    return call<protocol::WriteReply>(protocol::WriteRequest{fd, offset, view(bytes)});
  }
  ProtocolStatus close(uint32_t fd) {
    return call<protocol::CloseReply>(protocol::CloseRequest{fd}).status;
  }
  protocol::StatReply stat(const std::string& path) {
    return call<protocol::StatReply>(protocol::StatRequest{view(path)});
  }
  protocol::FstatReply fstat(uint32_t fd) {
    return call<protocol::FstatReply>(protocol::FstatRequest{fd});
  }
  protocol::ReadDirReply read_dir(const std::string& path, uint64_t index) {
    return call<protocol::ReadDirReply>(protocol::ReadDirRequest{index, view(path)});
  }
  // "name name/ ..." (a slash after directories), or "error: <status>".
  std::string ls(const std::string& path) {
    std::string listing;
    for (uint64_t i = 0;; ++i) {
      protocol::ReadDirReply entry = read_dir(path, i);
      if (entry.status != ProtocolStatus::kOk) {
        return std::string("error: ") + ipc::protocol_status_text(entry.status);
      }
      if (entry.type == protocol::NodeType::kNone) return listing;
      if (!listing.empty()) listing += " ";
      listing += std::string(reinterpret_cast<const char*>(entry.name.data), entry.name.length);
      if (entry.type == protocol::NodeType::kDirectory) listing += "/";
    }
  }
  ProtocolStatus mkdir(const std::string& path) {
    return call<protocol::MakeDirectoryReply>(protocol::MakeDirectoryRequest{view(path)}).status;
  }
  ProtocolStatus unlink(const std::string& path) {
    return call<protocol::UnlinkReply>(protocol::UnlinkRequest{view(path)}).status;
  }
  ProtocolStatus rename(const std::string& from, const std::string& to) {
    return call<protocol::RenameReply>(protocol::RenameRequest{view(from), view(to)}).status;
  }
  void write_file(const std::string& path, const std::string& contents) {
    uint32_t fd = open_ok(path, kCreate | protocol::kOpenTruncate);
    EXPECT_EQ(write(fd, 0, contents).status, ProtocolStatus::kOk);
    EXPECT_EQ(close(fd), ProtocolStatus::kOk);
  }

 private:
  ipc::testing::InProcessEndpoint endpoint_;
  std::unique_ptr<WireMessage> last_;
};

class FsServiceTest : public ::testing::Test {
 protected:
  void SetUp() override {
    uint64_t where = 0;
    ASSERT_EQ(service->mount_boot(archive.data(), archive.size(), &where), UstarError::kOk);
  }
  testing::Bytes archive = initrd();
  testing::CheckedMemory memory;
  std::unique_ptr<FsService> service = std::make_unique<FsService>(memory, kTmpLimit);
  Client client{*service, 7};
};

TEST_F(FsServiceTest, TheRootListsBootAndTmp) {
  EXPECT_EQ(client.ls("/"), "boot/ tmp/");
  EXPECT_EQ(client.ls("/boot"), "motd docs/ bin/");
  EXPECT_EQ(client.ls("/boot/docs"), "protocols.md");
  EXPECT_EQ(client.ls("/tmp"), "");
  protocol::StatReply root = client.stat("/");
  EXPECT_EQ(root.info.type, protocol::NodeType::kDirectory);
  EXPECT_EQ(root.info.size, 2u);
  protocol::ReadDirReply boot = client.read_dir("/", 0);
  EXPECT_EQ(boot.size, 3u);  // its entries
}

TEST_F(FsServiceTest, ReadsTheInitrd) {
  EXPECT_EQ(client.read_all("/boot/motd"), "Welcome to BareMetal-OS\n");
  EXPECT_EQ(client.read_all("/boot/docs/protocols.md"), std::string(10000, 'p'));
  uint32_t fd = client.open_ok("/boot/motd");
  EXPECT_EQ(client.read(fd, 11, 4), "Bare");
  EXPECT_EQ(client.read(fd, 24), "");
  EXPECT_EQ(client.read(fd, ~0ull), "");
  protocol::FstatReply info = client.fstat(fd);
  EXPECT_EQ(info.info.type, protocol::NodeType::kFile);
  EXPECT_EQ(info.info.size, 24u);
  EXPECT_EQ(client.stat("/boot/docs/protocols.md").info.size, 10000u);
  EXPECT_EQ(client.close(fd), ProtocolStatus::kOk);
}

TEST_F(FsServiceTest, DotDotNeverEscapesTheRoot) {
  EXPECT_EQ(client.read_all("/tmp/../boot/motd"), "Welcome to BareMetal-OS\n");
  EXPECT_EQ(client.read_all("/../../../boot/./docs/../motd"), "Welcome to BareMetal-OS\n");
  EXPECT_EQ(client.ls("/boot/.."), "boot/ tmp/");
  EXPECT_EQ(client.ls("/.."), "boot/ tmp/");
  EXPECT_EQ(client.ls("//tmp//"), "");
}

TEST_F(FsServiceTest, TheInitrdIsReadOnly) {
  EXPECT_EQ(client.open_status("/boot/motd", kWrite), ProtocolStatus::kReadOnly);
  EXPECT_EQ(client.open_status("/boot/motd", kCreate), ProtocolStatus::kReadOnly);
  EXPECT_EQ(client.open_status("/boot/new", kCreate), ProtocolStatus::kReadOnly);
  EXPECT_EQ(client.open_status("/boot/docs/new", kCreate), ProtocolStatus::kReadOnly);
  EXPECT_EQ(client.open_status("/boot/motd", kWrite | protocol::kOpenTruncate),
            ProtocolStatus::kReadOnly);
  EXPECT_EQ(client.mkdir("/boot/dir"), ProtocolStatus::kReadOnly);
  EXPECT_EQ(client.unlink("/boot/motd"), ProtocolStatus::kReadOnly);
  EXPECT_EQ(client.unlink("/boot/docs"), ProtocolStatus::kReadOnly);
  EXPECT_EQ(client.rename("/boot/motd", "/boot/motd2"), ProtocolStatus::kReadOnly);
  EXPECT_EQ(client.rename("/boot/motd", "/tmp/motd"), ProtocolStatus::kReadOnly);
  client.write_file("/tmp/x", "x");
  EXPECT_EQ(client.rename("/tmp/x", "/boot/x"), ProtocolStatus::kReadOnly);
  // And so is "/" itself.
  EXPECT_EQ(client.mkdir("/home"), ProtocolStatus::kReadOnly);
  EXPECT_EQ(client.open_status("/file", kCreate), ProtocolStatus::kReadOnly);
  EXPECT_EQ(client.rename("/tmp/x", "/x"), ProtocolStatus::kReadOnly);
  EXPECT_EQ(client.read_all("/boot/motd"), "Welcome to BareMetal-OS\n");
}

TEST_F(FsServiceTest, MountsAndTheRootStayPut) {
  EXPECT_EQ(client.unlink("/"), ProtocolStatus::kNoRights);
  EXPECT_EQ(client.unlink("/tmp"), ProtocolStatus::kNoRights);
  EXPECT_EQ(client.unlink("/boot"), ProtocolStatus::kNoRights);
  EXPECT_EQ(client.rename("/tmp", "/tmp2"), ProtocolStatus::kNoRights);
  client.write_file("/tmp/x", "x");
  EXPECT_EQ(client.rename("/tmp/x", "/tmp"), ProtocolStatus::kNoRights);
  EXPECT_EQ(client.rename("/tmp/x", "/"), ProtocolStatus::kNoRights);
  EXPECT_EQ(client.mkdir("/tmp"), ProtocolStatus::kExists);
  EXPECT_EQ(client.mkdir("/boot"), ProtocolStatus::kExists);
  EXPECT_EQ(client.mkdir("/"), ProtocolStatus::kExists);
  EXPECT_EQ(client.ls("/"), "boot/ tmp/");
}

TEST_F(FsServiceTest, WritesReadsAndListsInTmp) {
  ASSERT_EQ(client.mkdir("/tmp/notes"), ProtocolStatus::kOk);
  client.write_file("/tmp/notes/today", "buy milk");
  EXPECT_EQ(client.ls("/tmp"), "notes/");
  EXPECT_EQ(client.ls("/tmp/notes"), "today");
  EXPECT_EQ(client.read_all("/tmp/notes/today"), "buy milk");
  uint32_t fd = client.open_ok("/tmp/notes/today", kRead | kWrite);
  protocol::WriteReply written = client.write(fd, 20, "!");
  EXPECT_EQ(written.status, ProtocolStatus::kOk);
  EXPECT_EQ(written.written, 1u);
  EXPECT_EQ(client.read(fd), std::string("buy milk") + std::string(12, '\0') + "!");
  EXPECT_EQ(client.fstat(fd).info.size, 21u);
  EXPECT_EQ(client.close(fd), ProtocolStatus::kOk);
  ASSERT_EQ(client.rename("/tmp/notes/today", "/tmp/tomorrow"), ProtocolStatus::kOk);
  EXPECT_EQ(client.ls("/tmp"), "notes/ tomorrow");
  ASSERT_EQ(client.unlink("/tmp/tomorrow"), ProtocolStatus::kOk);
  ASSERT_EQ(client.unlink("/tmp/notes"), ProtocolStatus::kOk);
  EXPECT_EQ(client.ls("/tmp"), "");
  EXPECT_EQ(service->tmp().used_bytes(), 0u);
}

TEST_F(FsServiceTest, LongReadsAndWritesGoInPieces) {
  const std::string big(3 * protocol::kMaxIoBytes + 100, 'q');
  uint32_t fd = client.open_ok("/tmp/big", kCreate | kRead);
  for (size_t at = 0; at < big.size(); at += protocol::kMaxIoBytes) {
    std::string piece = big.substr(at, protocol::kMaxIoBytes);
    EXPECT_EQ(client.write(fd, at, piece).written, piece.size());
  }
  EXPECT_EQ(client.read(fd, 0).size(), protocol::kMaxIoBytes);
  EXPECT_EQ(client.close(fd), ProtocolStatus::kOk);
  EXPECT_EQ(client.read_all("/tmp/big"), big);
}

TEST_F(FsServiceTest, NotFoundExistsAndTypeErrors) {
  EXPECT_EQ(client.open_status("/tmp/missing"), ProtocolStatus::kNotFound);
  EXPECT_EQ(client.open_status("/boot/missing"), ProtocolStatus::kNotFound);
  EXPECT_EQ(client.open_status("/nowhere"), ProtocolStatus::kNotFound);
  EXPECT_EQ(client.stat("/tmp/missing").status, ProtocolStatus::kNotFound);
  EXPECT_EQ(client.stat("/nowhere").status, ProtocolStatus::kNotFound);
  EXPECT_EQ(client.ls("/tmp/missing"), "error: no such name or server");
  EXPECT_EQ(client.unlink("/tmp/missing"), ProtocolStatus::kNotFound);
  EXPECT_EQ(client.unlink("/nowhere"), ProtocolStatus::kNotFound);
  EXPECT_EQ(client.rename("/tmp/missing", "/tmp/x"), ProtocolStatus::kNotFound);
  EXPECT_EQ(client.rename("/nowhere", "/tmp/x"), ProtocolStatus::kNotFound);
  client.write_file("/tmp/file", "f");
  EXPECT_EQ(client.open_status("/tmp/file", kCreate | protocol::kOpenExclusive),
            ProtocolStatus::kExists);
  EXPECT_EQ(client.mkdir("/tmp/file"), ProtocolStatus::kExists);
  EXPECT_EQ(client.open_status("/tmp/file/x"), ProtocolStatus::kNotADirectory);
  EXPECT_EQ(client.open_status("/boot/motd/x"), ProtocolStatus::kNotADirectory);
  EXPECT_EQ(client.ls("/tmp/file"), "error: a path component is not a directory");
  EXPECT_EQ(client.ls("/boot/motd"), "error: a path component is not a directory");
  EXPECT_EQ(client.open_status("/tmp", kWrite), ProtocolStatus::kIsADirectory);
  EXPECT_EQ(client.open_status("/boot/docs", kWrite), ProtocolStatus::kIsADirectory);
  EXPECT_EQ(client.open_status("/", kWrite), ProtocolStatus::kIsADirectory);
  EXPECT_EQ(client.open_status("/tmp", kCreate), ProtocolStatus::kIsADirectory);
  ASSERT_EQ(client.mkdir("/tmp/dir"), ProtocolStatus::kOk);
  client.write_file("/tmp/dir/inside", "i");
  EXPECT_EQ(client.unlink("/tmp/dir"), ProtocolStatus::kNotEmpty);
  EXPECT_EQ(client.rename("/tmp/file", "/tmp/dir"), ProtocolStatus::kIsADirectory);
  EXPECT_EQ(client.rename("/tmp/dir", "/tmp/dir/sub"), ProtocolStatus::kBadPath);
}

TEST_F(FsServiceTest, DirectoriesOpenForReadingAndFstat) {
  for (const char* path : {"/", "/boot", "/boot/docs", "/tmp"}) {
    uint32_t fd = client.open_ok(path);
    protocol::FstatReply info = client.fstat(fd);
    EXPECT_EQ(info.info.type, protocol::NodeType::kDirectory) << path;
    EXPECT_EQ(client.read(fd), "error: a directory where a file is needed") << path;
    EXPECT_EQ(client.close(fd), ProtocolStatus::kOk);
  }
  uint32_t fd = client.open_ok("/boot");
  EXPECT_EQ(client.fstat(fd).info.size, 3u);
  EXPECT_EQ(client.close(fd), ProtocolStatus::kOk);
}

TEST_F(FsServiceTest, BadPathsAndLongNames) {
  EXPECT_EQ(client.open_status("relative"), ProtocolStatus::kBadPath);
  EXPECT_EQ(client.open_status("./tmp"), ProtocolStatus::kBadPath);
  EXPECT_EQ(client.open_status(std::string("/tmp/a\0b", 8), kCreate), ProtocolStatus::kBadPath);
  EXPECT_EQ(client.stat("tmp").status, ProtocolStatus::kBadPath);
  EXPECT_EQ(client.ls("boot"), "error: a malformed path");
  EXPECT_EQ(client.mkdir("d"), ProtocolStatus::kBadPath);
  EXPECT_EQ(client.unlink("d"), ProtocolStatus::kBadPath);
  EXPECT_EQ(client.rename("a", "/tmp/b"), ProtocolStatus::kBadPath);
  EXPECT_EQ(client.rename("/tmp/a", "b"), ProtocolStatus::kBadPath);
  const std::string longest = "/tmp/" + std::string(protocol::kMaxNameLength, 'n');
  EXPECT_EQ(client.open_status(longest, kCreate), ProtocolStatus::kOk);
  EXPECT_EQ(client.open_status(longest + "n", kCreate), ProtocolStatus::kNameTooLong);
  EXPECT_EQ(client.mkdir(longest + "n"), ProtocolStatus::kNameTooLong);
  EXPECT_EQ(client.stat(longest + "n").status, ProtocolStatus::kNameTooLong);
  EXPECT_EQ(client.rename(longest, longest + "n"), ProtocolStatus::kNameTooLong);
  EXPECT_EQ(client.ls("/tmp"), std::string(protocol::kMaxNameLength, 'n'));
}

TEST_F(FsServiceTest, PathsOf255BytesReachTheDeepestDirectories) {
  std::string path = "/tmp";
  while (path.size() + 10 + 11 <= protocol::kMaxPathLength) {  // room left for a file name
    path += "/" + std::string(9, 'd');
    ASSERT_EQ(client.mkdir(path), ProtocolStatus::kOk) << path.size();
  }
  std::string file = path + "/" + std::string(protocol::kMaxPathLength - path.size() - 1, 'f');
  ASSERT_EQ(file.size(), protocol::kMaxPathLength);
  client.write_file(file, "deep");
  EXPECT_EQ(client.read_all(file), "deep");
}

TEST_F(FsServiceTest, NoSpaceInTmp) {
  uint32_t fd = client.open_ok("/tmp/fill", kCreate);
  const std::string chunk(protocol::kMaxIoBytes, 'f');
  uint64_t at = 0;
  protocol::WriteReply reply;
  for (int i = 0; i < 100; ++i) {
    reply = client.write(fd, at, chunk);
    if (reply.status != ProtocolStatus::kOk) break;
    at += reply.written;
  }
  EXPECT_EQ(reply.status, ProtocolStatus::kNoSpace);
  EXPECT_LE(service->tmp().used_bytes(), kTmpLimit);
  EXPECT_GT(at, kTmpLimit / 2);
  EXPECT_EQ(client.fstat(fd).info.size, at);  // the refused write left the file as it was
  EXPECT_EQ(client.write(fd, kTmpLimit * 2, "x").status, ProtocolStatus::kNoSpace);
  EXPECT_EQ(client.write(fd, ~0ull, "x").status, ProtocolStatus::kNoSpace);
  EXPECT_EQ(client.close(fd), ProtocolStatus::kOk);
  ASSERT_EQ(client.unlink("/tmp/fill"), ProtocolStatus::kOk);
  EXPECT_EQ(service->tmp().used_bytes(), 0u);
  client.write_file("/tmp/after", "room again");
}

TEST_F(FsServiceTest, BadFileHandles) {
  EXPECT_EQ(client.read(0), "error: a handle not open in this task");
  EXPECT_EQ(client.write(0, 0, "x").status, ProtocolStatus::kInvalidHandle);
  EXPECT_EQ(client.close(0), ProtocolStatus::kInvalidHandle);
  EXPECT_EQ(client.fstat(0).status, ProtocolStatus::kInvalidHandle);
  uint32_t fd = client.open_ok("/boot/motd");
  EXPECT_EQ(client.close(fd), ProtocolStatus::kOk);
  EXPECT_EQ(client.close(fd), ProtocolStatus::kInvalidHandle);
  EXPECT_EQ(client.read(fd), "error: a handle not open in this task");
  EXPECT_EQ(client.read(0xffff'ffff), "error: a handle not open in this task");
  EXPECT_EQ(client.close(OpenFileTable::kMaxOpenFiles), ProtocolStatus::kInvalidHandle);
}

TEST_F(FsServiceTest, OpenModesAreKept) {
  client.write_file("/tmp/f", "data");
  uint32_t reader = client.open_ok("/tmp/f", kRead);
  EXPECT_EQ(client.write(reader, 0, "x").status, ProtocolStatus::kNoRights);
  uint32_t writer = client.open_ok("/tmp/f", kWrite);
  EXPECT_EQ(client.read(writer), "error: the caller may not ask this");
  EXPECT_EQ(client.write(writer, 0, "D").status, ProtocolStatus::kOk);
  EXPECT_EQ(client.read(reader), "Data");
  EXPECT_EQ(client.close(reader), ProtocolStatus::kOk);
  EXPECT_EQ(client.close(writer), ProtocolStatus::kOk);
  // Truncate empties; exclusive create refuses an existing name.
  uint32_t truncated = client.open_ok("/tmp/f", kWrite | protocol::kOpenTruncate | kRead);
  EXPECT_EQ(client.read(truncated), "");
  EXPECT_EQ(client.close(truncated), ProtocolStatus::kOk);
}

TEST_F(FsServiceTest, FdsAreTheLowestFreeAndLimitedPerClient) {
  std::vector<uint32_t> fds;
  for (uint32_t i = 0; i < OpenFileTable::kMaxOpenFiles; ++i) {
    fds.push_back(client.open_ok("/boot/motd"));
    EXPECT_EQ(fds.back(), i);
  }
  EXPECT_EQ(client.open("/boot/motd").status, ProtocolStatus::kTooManyOpenFiles);
  // Refused before anything was made.
  EXPECT_EQ(client.open("/tmp/new", kCreate).status, ProtocolStatus::kTooManyOpenFiles);
  EXPECT_EQ(client.stat("/tmp/new").status, ProtocolStatus::kNotFound);
  EXPECT_EQ(service->open_files(7), OpenFileTable::kMaxOpenFiles);
  EXPECT_EQ(client.close(5), ProtocolStatus::kOk);
  EXPECT_EQ(client.open_ok("/boot/motd"), 5u);
  // Another client has its own table.
  Client other(*service, 8);
  EXPECT_EQ(other.open_ok("/boot/motd"), 0u);
}

TEST_F(FsServiceTest, ClientsCannotUseEachOthersFds) {
  uint32_t fd = client.open_ok("/boot/motd");
  Client other(*service, 8);
  EXPECT_EQ(other.read(fd), "error: a handle not open in this task");
  EXPECT_EQ(other.close(fd), ProtocolStatus::kInvalidHandle);
  EXPECT_EQ(client.read(fd, 0, 7), "Welcome");
}

TEST_F(FsServiceTest, ManyClientsAtOnce) {
  std::vector<std::unique_ptr<Client>> clients;
  std::vector<uint32_t> fds;
  for (uint64_t badge = 100; badge < 100 + OpenFileTable::kMaxClients; ++badge) {
    clients.push_back(std::make_unique<Client>(*service, badge));
    fds.push_back(clients.back()->open_ok("/tmp/c" + std::to_string(badge), kCreate | kRead));
  }
  EXPECT_EQ(service->clients(), OpenFileTable::kMaxClients);
  Client one_too_many(*service, 999);
  EXPECT_EQ(one_too_many.open("/boot/motd").status, ProtocolStatus::kNoSlots);
  // Requests by path need no slot.
  EXPECT_EQ(one_too_many.stat("/boot/motd").status, ProtocolStatus::kOk);
  // Interleaved writes land in each client's own file.
  for (int round = 0; round < 3; ++round) {
    for (size_t i = 0; i < clients.size(); ++i) {
      std::string text = std::to_string(i) + ":" + std::to_string(round) + ";";
      EXPECT_EQ(clients[i]->write(fds[i], clients[i]->fstat(fds[i]).info.size, text).status,
                ProtocolStatus::kOk);
    }
  }
  for (size_t i = 0; i < clients.size(); ++i) {
    std::string expected;
    for (int round = 0; round < 3; ++round) {
      expected += std::to_string(i) + ":" + std::to_string(round) + ";";
    }
    EXPECT_EQ(clients[i]->read(fds[i]), expected);
  }
  EXPECT_EQ(clients[0]->close(fds[0]), ProtocolStatus::kOk);  // its last file: slot free
  EXPECT_EQ(one_too_many.open_status("/boot/motd"), ProtocolStatus::kOk);
}

TEST_F(FsServiceTest, AClientThatEndsHasItsFilesClosed) {
  Client doomed(*service, 42);
  doomed.open_ok("/boot/motd");
  doomed.open_ok("/tmp", kRead);
  uint32_t log = doomed.open_ok("/tmp/log", kCreate);
  EXPECT_EQ(doomed.write(log, 0, std::string(3000, 'l')).status, ProtocolStatus::kOk);
  // Someone else removes the file while the doomed client still holds it.
  ASSERT_EQ(client.unlink("/tmp/log"), ProtocolStatus::kOk);
  EXPECT_GT(service->tmp().used_bytes(), 3000u);
  EXPECT_EQ(service->open_files(42), 3u);
  service->client_ended(42);
  EXPECT_EQ(service->open_files(42), 0u);
  EXPECT_EQ(service->clients(), 0u);
  EXPECT_EQ(service->tmp().used_bytes(), 0u);  // the removed file went with its last close
  EXPECT_EQ(doomed.read(log), "error: a handle not open in this task");
  service->client_ended(42);  // twice, or a client that never opened: nothing happens
  service->client_ended(12345);
}

TEST_F(FsServiceTest, UnlinkWhileOpenKeepsTheDataForTheOpenFds) {
  client.write_file("/tmp/data", "precious");
  uint32_t fd = client.open_ok("/tmp/data", kRead | kWrite);
  ASSERT_EQ(client.unlink("/tmp/data"), ProtocolStatus::kOk);
  EXPECT_EQ(client.stat("/tmp/data").status, ProtocolStatus::kNotFound);
  EXPECT_EQ(client.read(fd), "precious");
  EXPECT_EQ(client.write(fd, 8, "!").status, ProtocolStatus::kOk);
  EXPECT_EQ(client.read(fd), "precious!");
  EXPECT_EQ(client.fstat(fd).info.size, 9u);
  EXPECT_EQ(client.close(fd), ProtocolStatus::kOk);
  EXPECT_EQ(service->tmp().used_bytes(), 0u);
}

TEST_F(FsServiceTest, MalformedRequestsGetAnErrorAndTheServiceGoesOn) {
  auto request = std::make_unique<WireMessage>();
  auto reply = std::make_unique<WireMessage>();
  *request = WireMessage{protocol::kOpen, 1, {protocol::kOpenRead}};
  service->serve(7, *request, reply.get());
  EXPECT_EQ(reply->words, 1u);
  EXPECT_EQ(reply->word[0], static_cast<uint64_t>(ProtocolStatus::kTooShort));
  *request = WireMessage{protocol::kOpen, 3, {0x40, 1, '/'}};
  service->serve(7, *request, reply.get());
  EXPECT_EQ(reply->word[0], static_cast<uint64_t>(ProtocolStatus::kBadValue));
  *request = WireMessage{0x5ff, 0, {}};
  service->serve(7, *request, reply.get());
  EXPECT_EQ(reply->word[0], static_cast<uint64_t>(ProtocolStatus::kUnknownLabel));
  EXPECT_EQ(reply->label, 0x5ffu);
  EXPECT_EQ(client.read_all("/boot/motd"), "Welcome to BareMetal-OS\n");
}

TEST(FsServiceBoot, ABadInitrdLeavesBootEmptyAndTmpWorking) {
  testing::Bytes archive = initrd();
  archive.resize(archive.size() - 700);  // cut into the end blocks
  testing::CheckedMemory memory;
  auto service = std::make_unique<FsService>(memory, kTmpLimit);
  uint64_t where = 0;
  EXPECT_EQ(service->mount_boot(archive.data(), archive.size(), &where), UstarError::kTruncated);
  Client client(*service, 1);
  EXPECT_EQ(client.ls("/"), "boot/ tmp/");
  EXPECT_EQ(client.ls("/boot"), "");
  EXPECT_EQ(client.open_status("/boot/motd"), ProtocolStatus::kNotFound);
  client.write_file("/tmp/ok", "fine");
  EXPECT_EQ(client.read_all("/tmp/ok"), "fine");
}

}  // namespace
}  // namespace bm::fs
