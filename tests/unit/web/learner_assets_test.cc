// The learner app as compiled into parcd (parc_web_assets): its page, its
// manifest and everything its service worker keeps for offline use are
// embedded, with the types browsers insist on.
#include <gtest/gtest.h>

#include <regex>
#include <set>
#include <string>

#include "daemon/http/assets.h"

namespace parc::http {
namespace {

std::string Body(const char* path) {
  const Asset* asset = FindAsset(path);
  return asset ? std::string(asset->body) : std::string();
}

TEST(LearnerAssetsTest, PageIsFrenchAndEveryFileItLoadsIsEmbedded) {
  const Asset* index = FindAsset("/apprendre/index.html");
  ASSERT_NE(index, nullptr);
  EXPECT_EQ(index->content_type, "text/html; charset=utf-8");
  const std::string html(index->body);
  EXPECT_NE(html.find("<html lang=\"fr\">"), std::string::npos);
  EXPECT_NE(html.find("rel=\"manifest\""), std::string::npos);
  std::regex ref(R"re((?:src|href)="(/[^"]*)")re");
  int refs = 0;
  for (std::sregex_iterator it(html.begin(), html.end(), ref), end; it != end; ++it, ++refs) {
    EXPECT_NE(FindAsset((*it)[1].str()), nullptr) << (*it)[1] << " is referenced but not embedded";
  }
  EXPECT_GE(refs, 5);  // manifest, icons, stylesheet, script
}

TEST(LearnerAssetsTest, ManifestMakesAnInstallableFrenchApp) {
  const Asset* manifest = FindAsset("/apprendre/manifest.webmanifest");
  ASSERT_NE(manifest, nullptr);
  EXPECT_EQ(manifest->content_type, "application/manifest+json");
  const std::string json(manifest->body);
  EXPECT_NE(json.find(R"("start_url": "/apprendre/")"), std::string::npos);
  EXPECT_NE(json.find(R"("display": "standalone")"), std::string::npos);
  EXPECT_NE(json.find(R"("lang": "fr")"), std::string::npos);
  EXPECT_NE(FindAsset("/apprendre/icons/icon-192.png"), nullptr);
  EXPECT_NE(FindAsset("/apprendre/icons/icon-512.png"), nullptr);
  EXPECT_EQ(FindAsset("/apprendre/icons/icon-512.png")->content_type, "image/png");
}

TEST(LearnerAssetsTest, EverythingTheServiceWorkerKeepsIsEmbedded) {
  const Asset* sw = FindAsset("/apprendre/sw.js");
  ASSERT_NE(sw, nullptr);
  EXPECT_EQ(sw->content_type, "text/javascript; charset=utf-8");  // or browsers refuse it
  const std::string text(sw->body);
  std::regex url(R"re("(/apprendre/[^"]+)")re");
  std::set<std::string> kept;
  for (std::sregex_iterator it(text.begin(), text.end(), url), end; it != end; ++it) {
    kept.insert((*it)[1]);
  }
  EXPECT_TRUE(kept.count("/apprendre/index.html"));
  EXPECT_TRUE(kept.count("/apprendre/pdf.worker.mjs"));
  EXPECT_TRUE(kept.count("/apprendre/audio/fr.json"));
  for (const std::string& path : kept) {
    if (path.starts_with("/apprendre/contenu/")) continue;  // the downloaded files, not the app's
    EXPECT_NE(FindAsset(path), nullptr) << path << " is kept by sw.js but not embedded";
  }
  EXPECT_GT(kept.size(), 100u);  // the sound files are among them
}

TEST(LearnerAssetsTest, EverySentenceHasItsSoundFile) {
  for (const char* lang : {"fr", "en"}) {
    const std::string index = Body((std::string("/apprendre/audio/") + lang + ".json").c_str());
    ASSERT_FALSE(index.empty()) << lang;
    std::regex file(R"re("([0-9a-f]{16}\.opus)")re");
    int files = 0;
    for (std::sregex_iterator it(index.begin(), index.end(), file), end; it != end; ++it, ++files) {
      const Asset* sound = FindAsset("/apprendre/audio/" + (*it)[1].str());
      ASSERT_NE(sound, nullptr) << (*it)[1];
      EXPECT_EQ(sound->content_type, "audio/ogg");
      EXPECT_EQ(sound->body.substr(0, 4), "OggS");
    }
    EXPECT_GT(files, 50) << lang;
  }
  // The message a revoked device shows can be heard.
  EXPECT_NE(Body("/apprendre/audio/fr.json").find("Cette tablette n’est plus reliée."),
            std::string::npos);
}

}  // namespace
}  // namespace parc::http
