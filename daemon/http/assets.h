// The dashboard page's static files (web/, bundled at build time) compiled into
// parcd, so the daemon serves them with nothing to install beside it and no
// network. Built by the parc_web_assets target from the bundler's output; the
// table is generated (web/cmake/embed_assets.cmake), never edited by hand.
#pragma once

#include <string_view>

namespace parc::http {

struct Asset {
  std::string_view content_type;  // e.g. "text/javascript; charset=utf-8"
  std::string_view body;          // the file's bytes, static storage
  std::string_view etag;          // strong validator, quoted: "\"<16 hex digits>\""
};

// The asset served at `path` ("/index.html", "/assets/app.js"), or nullptr when
// there is none. "/" is not an asset: the HTTP layer maps it to "/index.html".
// The result points into static storage that lives as long as the program.
// Thread-safe (read-only data).
const Asset* FindAsset(std::string_view path);

}  // namespace parc::http
