// ContentFiles on a full disk (issue 18): RESOURCE_EXHAUSTED before a byte is
// received when the upload cannot fit, RESOURCE_EXHAUSTED when the disk fills
// during it, no temporary file left behind, and uploads work again once there
// is room. On a real (tiny) tmpfs: tests/support/small_disk.h.
#include "daemon/content/content_files.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <fstream>
#include <iterator>
#include <string>

#include "common/crypto.h"
#include "tests/support/small_disk.h"
#include "tests/support/temp_dir.h"

namespace parc::content {
namespace {

using ::testing::HasSubstr;
namespace fs = std::filesystem;

constexpr int64_t kDisk = 1024 * 1024;

class ContentFilesDiskFullTest : public ::testing::Test {
 protected:
  void SetUp() override {
    if (!disk_.mounted()) GTEST_SKIP() << disk_.why_not();
    ASSERT_TRUE(files_.Init()) << "the content directory on the small disk";
  }

  int Temporaries() const {
    int n = 0;
    for (const auto& e : fs::directory_iterator(files_.root() / "tmp")) n += e.is_regular_file();
    return n;
  }

  testing::TempDir dir_;
  testing::SmallDisk disk_{dir_.path() / "content", kDisk};
  ContentFiles files_{dir_.path() / "content", int64_t{1} << 30};
};

TEST_F(ContentFilesDiskFullTest, AnUploadThatCannotFitIsRefusedBeforeItsFirstByte) {
  const std::string data(2 * kDisk, 'v');
  auto upload = files_.Begin(Sha256Hex(data), static_cast<int64_t>(data.size()));
  ASSERT_FALSE(upload);
  EXPECT_EQ(upload.error().code, ErrorCode::kResourceExhausted);
  EXPECT_THAT(upload.error().message, HasSubstr("size: 2097152 bytes do not fit in"));
  EXPECT_THAT(upload.error().message, HasSubstr("bytes free; free space there"));
  EXPECT_EQ(Temporaries(), 0);
}

TEST_F(ContentFilesDiskFullTest, ADiskThatFillsDuringAnUploadLeavesNothingAndUploadsWorkAgain) {
  const std::string data(600 * 1024, 'v');
  const std::string sha = Sha256Hex(data);
  {
    auto upload = files_.Begin(sha, static_cast<int64_t>(data.size()));
    ASSERT_TRUE(upload) << upload.error().message;
    // Someone else fills the disk after the upload started.
    std::ofstream(files_.root() / "filler", std::ios::binary) << std::string(700 * 1024, 'f');
    Status appended = (*upload)->Append(data);
    ASSERT_FALSE(appended);
    EXPECT_EQ(appended.error().code, ErrorCode::kResourceExhausted);
    EXPECT_THAT(appended.error().message, HasSubstr("the disk is full"));
    EXPECT_EQ(Temporaries(), 1) << "kept while the call runs";
  }
  EXPECT_EQ(Temporaries(), 0) << "the failed upload's temporary file is removed";
  EXPECT_TRUE(files_.ListStored().empty());

  fs::remove(files_.root() / "filler");
  auto again = files_.Begin(sha, static_cast<int64_t>(data.size()));
  ASSERT_TRUE(again) << again.error().message;
  ASSERT_TRUE((*again)->Append(data));
  ASSERT_TRUE((*again)->Finish());
  ASSERT_TRUE(files_.Publish(**again));
  std::ifstream in(files_.PathOf(sha), std::ios::binary);
  EXPECT_EQ(std::string(std::istreambuf_iterator<char>(in), {}), data);
  EXPECT_THAT(files_.ListStored(), ::testing::ElementsAre(sha));
}

}  // namespace
}  // namespace parc::content
