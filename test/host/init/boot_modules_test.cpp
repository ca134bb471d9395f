// init's boot-module inflating (servers/init/boot_modules.cpp) against a fake of the memory
// system calls: compressed modules are replaced by their bytes under image rights, plain ones
// stay, and a bad one is logged and taken out of the table while the rest carry on.
#include "servers/init/boot_modules.h"

#include <gtest/gtest.h>

#include <cstdarg>
#include <cstdio>
#include <cstring>
#include <map>
#include <memory>
#include <set>
#include <string>
#include <vector>

#include "test/host/compress/codec_helpers.h"

namespace init {
namespace {

using bm::abi::Handle;
using bm::abi::InitBootInfo;
using bm::abi::Status;
using compress_test::Bytes;

constexpr uint32_t kImageRights = bm::abi::kRightRead | bm::abi::kRightMap | bm::abi::kRightGrant;
constexpr uint32_t kCreatedRights = kImageRights | bm::abi::kRightWrite;
constexpr size_t kPage = 4096;

std::string logged;
size_t capture_log(const char* format, ...) {
  char line[256];
  va_list arguments;
  va_start(arguments, format);
  int n = vsnprintf(line, sizeof(line), format, arguments);
  va_end(arguments);
  logged += line;
  return n < 0 ? 0 : static_cast<size_t>(n);
}

// Memory objects as host buffers; handles as numbers naming them, with rights.
class FakeModuleMemory final : public ModuleMemory {
 public:
  struct HandleEntry {
    std::shared_ptr<Bytes> object;
    uint32_t rights;
  };

  Handle add_object(const Bytes& bytes, uint32_t rights) {
    // Memory objects are whole pages; the fake keeps the pages' zero tail too.
    auto object = std::make_shared<Bytes>(bytes);
    object->resize((bytes.size() + kPage - 1) / kPage * kPage, 0);
    handles[next] = {object, rights};
    return next++;
  }

  Status map_image(Handle image, uint64_t size, const uint8_t** address) override {
    EXPECT_EQ(mapped_image, 0u) << "an image mapped twice";
    auto found = handles.find(image);
    if (found == handles.end()) return Status::kInvalidHandle;
    if (image == refuse_map) return Status::kNoRights;
    EXPECT_LE(size, found->second.object->size());
    mapped_image = image;
    *address = found->second.object->data();
    return Status::kOk;
  }
  void unmap_image() override {
    EXPECT_NE(mapped_image, 0u);
    mapped_image = 0;
  }
  Status create_mapped(uint64_t size, Handle* memory, uint8_t** address) override {
    EXPECT_EQ(mapped_created, 0u);
    if (out_of_memory) return Status::kOutOfMemory;
    Handle handle = add_object(Bytes(size == 0 ? 1 : size, 0), kCreatedRights);
    created.insert(handle);
    mapped_created = handle;
    *memory = handle;
    *address = handles[handle].object->data();
    return Status::kOk;
  }
  void unmap_created() override {
    EXPECT_NE(mapped_created, 0u);
    mapped_created = 0;
  }
  Status restrict_to_image_rights(Handle memory, Handle* image) override {
    auto found = handles.find(memory);
    if (found == handles.end()) return Status::kInvalidHandle;
    handles[next] = {found->second.object, kImageRights};
    *image = next++;
    return Status::kOk;
  }
  void close(Handle handle) override {
    EXPECT_EQ(handles.count(handle), 1u) << "closed twice or never open: " << handle;
    handles.erase(handle);
  }

  std::map<Handle, HandleEntry> handles;
  std::set<Handle> created;
  Handle next = 100;
  Handle mapped_image = 0;
  Handle mapped_created = 0;
  Handle refuse_map = 0;
  bool out_of_memory = false;
};

struct Module {
  const char* name;
  Bytes bytes;  // as on the ISO
};

class InflateTest : public ::testing::Test {
 protected:
  void SetUp() override { logged.clear(); }

  void boot_with(const std::vector<Module>& modules) {
    boot = InitBootInfo{};
    boot.magic = bm::abi::kInitBootInfoMagic;
    for (const Module& module : modules) {
      bm::abi::InitBootModule& entry = boot.modules[boot.module_count++];
      entry.image = memory.add_object(module.bytes, kImageRights);
      entry.size = module.bytes.size();
      snprintf(entry.name, sizeof(entry.name), "%s", module.name);
    }
  }

  InflateCount inflate() {
    InflateCount count = inflate_boot_modules(&boot, memory, capture_log);
    EXPECT_EQ(memory.mapped_image, 0u) << "an image left mapped";
    EXPECT_EQ(memory.mapped_created, 0u) << "an inflated copy left mapped";
    return count;
  }

  // The bytes module `index` of the table holds now.
  Bytes contents(uint32_t index) {
    const auto& entry = memory.handles.at(boot.modules[index].image);
    return Bytes(entry.object->begin(), entry.object->begin() + boot.modules[index].size);
  }

  FakeModuleMemory memory;
  InitBootInfo boot{};
};

TEST_F(InflateTest, CompressedModulesBecomeTheirBytesPlainOnesStay) {
  Bytes shell = compress_test::elf_like_bytes(70000, 1);
  Bytes manifest = compress_test::text_bytes(300, 2);
  Bytes plain = compress_test::random_bytes(5000, 3);
  boot_with({{"shell", compress_test::compress_bytes(shell)},
             {"plain", plain},
             {"manifest", compress_test::compress_bytes(manifest)}});
  Handle compressed_shell = boot.modules[0].image;
  Handle plain_image = boot.modules[1].image;

  InflateCount count = inflate();
  EXPECT_EQ(count.inflated, 2u);
  EXPECT_EQ(count.dropped, 0u);
  ASSERT_EQ(boot.module_count, 3u);
  EXPECT_STREQ(boot.modules[0].name, "shell");
  EXPECT_EQ(boot.modules[0].size, shell.size());
  EXPECT_TRUE(contents(0) == shell);
  EXPECT_EQ(boot.modules[1].image, plain_image);
  EXPECT_TRUE(contents(1) == plain);
  EXPECT_TRUE(contents(2) == manifest);
  EXPECT_EQ(logged, "");
  // The compressed images are closed, and so is the writable handle of each copy: the table
  // holds copies with the rights the kernel gives module images, nothing else stays open.
  EXPECT_EQ(memory.handles.count(compressed_shell), 0u);
  for (Handle handle : memory.created) EXPECT_EQ(memory.handles.count(handle), 0u);
  EXPECT_EQ(memory.handles.size(), 3u);
  for (uint32_t i = 0; i < boot.module_count; ++i) {
    EXPECT_EQ(memory.handles.at(boot.modules[i].image).rights, kImageRights);
  }
}

TEST_F(InflateTest, AnEmptyModuleInflatesToZeroBytes) {
  boot_with({{"empty", compress_test::compress_bytes({})}});
  EXPECT_EQ(inflate().inflated, 1u);
  ASSERT_EQ(boot.module_count, 1u);
  EXPECT_EQ(boot.modules[0].size, 0u);
}

TEST_F(InflateTest, ABadModuleIsLoggedAndDroppedTheOthersCarryOn) {
  Bytes vga = compress_test::elf_like_bytes(20000, 4);
  Bytes truncated = compress_test::compress_bytes(compress_test::elf_like_bytes(30000, 5));
  truncated.pop_back();  // the last literal gone: always "cut short"
  Bytes manifest = compress_test::text_bytes(200, 6);
  boot_with({{"vga", compress_test::compress_bytes(vga)},
             {"keyboard", truncated},
             {"manifest", compress_test::compress_bytes(manifest)}});
  Handle bad_image = boot.modules[1].image;

  InflateCount count = inflate();
  EXPECT_EQ(count.inflated, 2u);
  EXPECT_EQ(count.dropped, 1u);
  EXPECT_EQ(logged, "init: keyboard: bad compressed module: payload cut short\n");
  ASSERT_EQ(boot.module_count, 2u);  // keyboard is missing now, the order kept
  EXPECT_STREQ(boot.modules[0].name, "vga");
  EXPECT_STREQ(boot.modules[1].name, "manifest");
  EXPECT_TRUE(contents(0) == vga);
  EXPECT_TRUE(contents(1) == manifest);
  EXPECT_EQ(boot.modules[2].image, 0u);
  EXPECT_EQ(memory.handles.count(bad_image), 0u);
  EXPECT_EQ(memory.handles.size(), 2u);  // the bad one's partial copy is closed too
}

TEST_F(InflateTest, AModuleCutInHalfIsDroppedWithAReason) {
  Bytes half = compress_test::compress_bytes(compress_test::elf_like_bytes(30000, 10));
  half.resize(half.size() / 2);
  boot_with({{"serial", half}});
  EXPECT_EQ(inflate().dropped, 1u);
  EXPECT_EQ(boot.module_count, 0u);
  const std::string prefix = "init: serial: bad compressed module: ";
  ASSERT_EQ(logged.rfind(prefix, 0), 0u) << logged;
  EXPECT_GT(logged.size(), prefix.size() + 1) << "no reason given";
}

TEST_F(InflateTest, EachKindOfDamageIsNamed) {
  Bytes good = compress_test::compress_bytes(compress_test::text_bytes(1000, 7));
  Bytes bad_version = good;
  bad_version[bm::compress::kVersionOffset] = 9;
  Bytes short_header(good.begin(), good.begin() + 10);
  Bytes huge = compress_test::container(1ull << 40, {0x00});
  boot_with({{"version", bad_version}, {"header", short_header}, {"huge", huge}});
  InflateCount count = inflate();
  EXPECT_EQ(count.dropped, 3u);
  EXPECT_EQ(boot.module_count, 0u);
  EXPECT_EQ(logged,
            "init: version: bad compressed module: unsupported format version\n"
            "init: header: bad compressed module: shorter than its header\n"
            "init: huge: bad compressed module: recorded size over the largest memory object\n");
}

TEST_F(InflateTest, OutOfMemoryDropsTheModuleWithTheStatus) {
  boot_with({{"fs", compress_test::compress_bytes(compress_test::text_bytes(9000, 8))}});
  memory.out_of_memory = true;
  InflateCount count = inflate();
  EXPECT_EQ(count.dropped, 1u);
  EXPECT_EQ(boot.module_count, 0u);
  EXPECT_EQ(logged.rfind("init: fs: cannot inflate (9000 bytes): ", 0), 0u) << logged;
}

TEST_F(InflateTest, AModuleThatCannotBeMappedStaysAsItIs) {
  boot_with({{"odd", compress_test::random_bytes(100, 9)}});
  memory.refuse_map = boot.modules[0].image;
  InflateCount count = inflate();
  EXPECT_EQ(count.inflated + count.dropped, 0u);
  EXPECT_EQ(boot.module_count, 1u);
  EXPECT_NE(logged.find("init: odd: cannot map"), std::string::npos) << logged;
}

TEST_F(InflateTest, TextThatStartsLikeTheMagicButIsShortIsPlain) {
  boot_with({{"tiny", Bytes{'B', 'M', 'L'}}});
  EXPECT_EQ(inflate().inflated, 0u);
  EXPECT_EQ(boot.module_count, 1u);
  EXPECT_EQ(logged, "");
}

}  // namespace
}  // namespace init
