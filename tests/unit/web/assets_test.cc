// The dashboard page as compiled into parcd (parc_web_assets): every file the
// page refers to is there, with the right type and a stable validator.
#include "daemon/http/assets.h"

#include <gtest/gtest.h>

#include <regex>
#include <string>

namespace parc::http {
namespace {

TEST(WebAssetsTest, IndexIsHtmlAndEveryFileItLoadsIsEmbedded) {
  const Asset* index = FindAsset("/index.html");
  ASSERT_NE(index, nullptr);
  EXPECT_EQ(index->content_type, "text/html; charset=utf-8");
  const std::string html(index->body);
  EXPECT_NE(html.find("<html lang=\"fr\">"), std::string::npos) << "French by default";

  std::regex ref(R"re((?:src|href)="(/[^"]*)")re");
  int refs = 0;
  for (std::sregex_iterator it(html.begin(), html.end(), ref), end; it != end; ++it, ++refs) {
    const std::string path = (*it)[1];
    EXPECT_NE(FindAsset(path), nullptr) << path << " is referenced by index.html but not embedded";
  }
  EXPECT_GE(refs, 3);  // favicon, stylesheet, script
}

TEST(WebAssetsTest, BundleHasScriptAndStylesheetTypes) {
  const Asset* js = FindAsset("/assets/app.js");
  const Asset* css = FindAsset("/assets/app.css");
  ASSERT_NE(js, nullptr);
  ASSERT_NE(css, nullptr);
  EXPECT_EQ(js->content_type, "text/javascript; charset=utf-8");
  EXPECT_EQ(css->content_type, "text/css; charset=utf-8");
  // The charting library is bundled, not fetched from a CDN.
  EXPECT_GT(js->body.size(), 50'000u);
  EXPECT_EQ(std::string(js->body).find("cdn."), std::string::npos);
}

TEST(WebAssetsTest, EtagsAreQuotedHexAndDifferPerFile) {
  const Asset* a = FindAsset("/index.html");
  const Asset* b = FindAsset("/assets/app.js");
  ASSERT_NE(a, nullptr);
  ASSERT_NE(b, nullptr);
  std::regex etag(R"("[0-9a-f]{16}")");
  EXPECT_TRUE(std::regex_match(std::string(a->etag), etag)) << a->etag;
  EXPECT_TRUE(std::regex_match(std::string(b->etag), etag)) << b->etag;
  EXPECT_NE(a->etag, b->etag);
}

TEST(WebAssetsTest, UnknownPathsAreNotFound) {
  EXPECT_EQ(FindAsset("/"), nullptr);
  EXPECT_EQ(FindAsset(""), nullptr);
  EXPECT_EQ(FindAsset("/nope.js"), nullptr);
  EXPECT_EQ(FindAsset("/assets/"), nullptr);
  EXPECT_EQ(FindAsset("/index.html/"), nullptr);
  EXPECT_EQ(FindAsset("index.html"), nullptr);
  EXPECT_EQ(FindAsset("/../index.html"), nullptr);
  EXPECT_EQ(FindAsset("\x7f"), nullptr);  // the table's end marker is not an asset
}

}  // namespace
}  // namespace parc::http
